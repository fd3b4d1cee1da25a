import type { z } from 'zod';
import { decodeGoogleBody, type ResponseFacts } from './decode-body.js';
import { GoogleTrendsError } from './google-trends-error.js';
import type {
  InterestByRegion,
  InterestOverTime,
  RankedQuery,
  RankedTopic,
  RelatedQueries,
  RelatedTopics,
} from './trend-data.js';
import { comparedGeoSchema, multilineSchema, relatedQueriesSchema, relatedTopicsSchema } from './wire-schemas.js';

const breakout = 'Breakout';

/** Interest over time (widget TIMESERIES → /widgetdata/multiline). A series without a single data point is `no_data`. */
export function parseInterestOverTime(body: string, keywords: string[], facts?: ResponseFacts): InterestOverTime {
  const what = `interest over time for ${quoteAll(keywords)}`;
  const data = validate(multilineSchema, decodeGoogleBody(body, what, facts), what);
  const points = data.default.timelineData.map((point) => {
    expectOnePerKeyword(point.value, keywords, what);
    return {
      time: new Date(Number(point.time) * 1000).toISOString(),
      formattedTime: point.formattedTime,
      values: point.value,
      hasData: point.hasData,
      isPartial: point.isPartial === true,
    };
  });
  if (!points.some((point) => point.hasData.some(Boolean))) {
    throw new GoogleTrendsError(
      'no_data',
      `Google Trends has no data for ${quoteAll(keywords)} in this region and timeframe; the keywords may be too rare or misspelled`,
    );
  }
  const averages = data.default.averages;
  return { keywords, points, averages: averages && averages.length === keywords.length ? averages : null };
}

/** Related queries of one keyword (widget RELATED_QUERIES → /widgetdata/relatedsearches, keywordType QUERY). */
export function parseRelatedQueries(body: string, keyword: string, facts?: ResponseFacts): RelatedQueries {
  const what = `related queries for "${keyword}"`;
  const data = validate(relatedQueriesSchema, decodeGoogleBody(body, what, facts), what);
  // rankedList[0] is TOP, rankedList[1] is RISING; a keyword with little traffic gets empty lists.
  const [top = [], rising = []] = data.default.rankedList.map((list) => list.rankedKeyword.map(toRankedQuery));
  return {
    keyword,
    top,
    rising: rising.map((item) => ({ ...item, breakout: item.formattedValue === breakout })),
  };
}

/** Related topics of one keyword (widget RELATED_TOPICS → /widgetdata/relatedsearches, keywordType ENTITY). */
export function parseRelatedTopics(body: string, keyword: string, facts?: ResponseFacts): RelatedTopics {
  const what = `related topics for "${keyword}"`;
  const data = validate(relatedTopicsSchema, decodeGoogleBody(body, what, facts), what);
  const [top = [], rising = []] = data.default.rankedList.map((list) =>
    list.rankedKeyword.map(
      (item): RankedTopic => ({
        mid: item.topic.mid,
        title: item.topic.title,
        type: item.topic.type,
        value: item.value,
        formattedValue: item.formattedValue,
      }),
    ),
  );
  return { keyword, top, rising: rising.map((item) => ({ ...item, breakout: item.formattedValue === breakout })) };
}

/** Interest by region (widget GEO_MAP → /widgetdata/comparedgeo). Regions without data are kept, flagged by hasData. */
export function parseInterestByRegion(body: string, keywords: string[], facts?: ResponseFacts): InterestByRegion {
  const what = `interest by region for ${quoteAll(keywords)}`;
  const data = validate(comparedGeoSchema, decodeGoogleBody(body, what, facts), what);
  const regions = data.default.geoMapData.map((region) => {
    expectOnePerKeyword(region.value, keywords, what);
    return { code: region.geoCode ?? '', name: region.geoName, values: region.value, hasData: region.hasData };
  });
  return { keywords, regions };
}

function toRankedQuery(item: { query: string; value: number; formattedValue: string; link?: string | undefined }): RankedQuery {
  return { query: item.query, value: item.value, formattedValue: item.formattedValue, link: item.link ?? null };
}

function validate<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : 'unknown';
  throw new GoogleTrendsError(
    'unexpected_shape',
    `Google Trends answered ${what} in a format this service does not know (${where})`,
  );
}

function expectOnePerKeyword(values: unknown[], keywords: string[], what: string): void {
  if (values.length !== keywords.length) {
    throw new GoogleTrendsError(
      'unexpected_shape',
      `Google Trends answered ${what} with ${values.length} values per entry for ${keywords.length} keywords`,
    );
  }
}

function quoteAll(keywords: string[]): string {
  return keywords.map((keyword) => `"${keyword}"`).join(', ');
}
