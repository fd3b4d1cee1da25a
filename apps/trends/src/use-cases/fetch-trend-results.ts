import type { GoogleTrendsClient } from '../integrations/google/google-trends-client.js';
import type {
  InterestByRegion,
  InterestOverTime,
  RelatedQueries,
  RelatedTopics,
  TrendResults,
} from '../integrations/google/trend-data.js';
import type { TrendsQuery } from '../integrations/google/trends-query.js';

/** Where trend data comes from: Google through google-trends-api (GoogleTrendsClient). */
export type TrendsSource = Pick<GoogleTrendsClient, 'interestOverTime' | 'interestByRegion' | 'relatedQueries' | 'relatedTopics'>;

/** What earlier attempts of a search already got, so a retry asks Google only for the rest. */
export interface SearchParts {
  interestOverTime?: InterestOverTime;
  interestByRegion?: InterestByRegion;
  relatedQueries?: RelatedQueries[];
  relatedTopics?: RelatedTopics[];
}

/**
 * Asks Google for everything a search shows, one call at a time, saving each part as it arrives.
 * Interest over time comes first: without it there is nothing to show, and an unknown keyword
 * shows up there.
 */
export async function fetchTrendResults(
  google: TrendsSource,
  query: TrendsQuery,
  saved: SearchParts,
  save: (parts: SearchParts) => Promise<void>,
): Promise<TrendResults> {
  const parts: SearchParts = { ...saved };
  const keep = async <K extends keyof SearchParts>(key: K, value: SearchParts[K]) => {
    parts[key] = value;
    await save(parts);
  };

  const interestOverTime = parts.interestOverTime ?? (await google.interestOverTime(query));
  if (!saved.interestOverTime) await keep('interestOverTime', interestOverTime);

  const interestByRegion = parts.interestByRegion ?? (await google.interestByRegion(query));
  if (!saved.interestByRegion) await keep('interestByRegion', interestByRegion);

  // Google offers related queries and topics per keyword.
  for (const keyword of query.keywords) {
    const queries = parts.relatedQueries ?? [];
    if (!queries.some((related) => related.keyword === keyword)) {
      await keep('relatedQueries', [...queries, await google.relatedQueries(query, keyword)]);
    }
  }
  for (const keyword of query.keywords) {
    const topics = parts.relatedTopics ?? [];
    if (!topics.some((related) => related.keyword === keyword)) {
      await keep('relatedTopics', [...topics, await google.relatedTopics(query, keyword)]);
    }
  }

  const inOrder = <T extends { keyword: string }>(list: T[] | undefined) =>
    query.keywords.map((keyword) => (list ?? []).find((item) => item.keyword === keyword)).filter((item): item is T => !!item);
  return {
    interestOverTime,
    interestByRegion,
    relatedQueries: inOrder(parts.relatedQueries),
    relatedTopics: inOrder(parts.relatedTopics),
  };
}
