import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const fixturesDir = fileURLToPath(new URL('../fixtures/gtrends/', import.meta.url));

/** A recorded fixture, byte for byte (see fixtures/gtrends/SOURCES.md). */
export function fixture(name: string): string {
  return readFileSync(`${fixturesDir}${name}`, 'utf8');
}

/** The keywords every recorded widget answer covers, in column order. */
export const recordedKeywords = ['pizza', 'bagel'] as const;

const widgetGuard = ")]}',\n";

/** Recorded explore answers, chosen by how many keywords were asked and over how long. */
export function recordedExplore(keywordCount: number, spanDays: number): string {
  if (keywordCount === 1) return fixture('explore_pizza_2021.body');
  if (spanDays <= 8) return fixture('explore_pizza_bagel_2021-01-01_2021-01-05.body');
  if (spanDays >= 4 * 365) return fixture('explore_partial.body');
  return fixture('explore_pizza_bagel_2021.body');
}

/** Daily points for a short span, weekly points (last one partial) otherwise. */
export function multilineFor(keywords: string[], spanDays: number): string {
  const recording = spanDays <= 8 ? 'widgetdata_multiline_pizza_bagel.body' : 'widgetdata_multiline_partial.body';
  return selectColumns(fixture(recording), keywords, (data, pick) => {
    const timeline = data.default.timelineData as Array<Record<string, unknown[]>>;
    if (!keywords.some(isRecorded)) return { default: { timelineData: [], averages: [] } };
    return {
      default: {
        timelineData: timeline.map((point) => ({
          ...point,
          value: pick(point.value, 0),
          hasData: pick(point.hasData, false),
          formattedValue: pick(point.formattedValue, '0'),
        })),
        averages: pick(data.default.averages as unknown[], 0),
      },
    };
  });
}

export function comparedGeoFor(keywords: string[]): string {
  return selectColumns(fixture('widgetdata_comparedgeo_pizza_bagel.body'), keywords, (data, pick) => {
    if (!keywords.some(isRecorded)) return { default: { geoMapData: [] } };
    const regions = data.default.geoMapData as Array<Record<string, unknown[]>>;
    return {
      default: {
        geoMapData: regions.map((region) => ({
          ...region,
          value: pick(region.value, 0),
          hasData: pick(region.hasData, false),
          formattedValue: pick(region.formattedValue, ''),
          maxValueIndex: 0,
        })),
      },
    };
  });
}

export function relatedSearchesFor(keyword: string, keywordType: string): string {
  if (keywordType === 'QUERY' && (keyword === 'pizza' || keyword === 'bagel')) {
    return fixture(`widgetdata_relatedsearches_QUERY_${keyword}.body`);
  }
  if (keywordType === 'ENTITY' && keyword === 'pizza') return fixture('widgetdata_relatedsearches_ENTITY_pizza.body');
  // Google's answer for a keyword with too little traffic: both lists empty.
  return `${widgetGuard}${JSON.stringify({ default: { rankedList: [{ rankedKeyword: [] }, { rankedKeyword: [] }] } })}`;
}

function isRecorded(keyword: string): boolean {
  return (recordedKeywords as readonly string[]).includes(keyword);
}

type Picker = <T>(values: unknown[] | undefined, missing: T) => unknown[];

/**
 * Serves the recorded bytes when the keywords are exactly the recorded ones; otherwise keeps the
 * recorded columns of the asked keywords (and an empty column for a keyword never recorded).
 */
function selectColumns(
  body: string,
  keywords: string[],
  rebuild: (data: { default: Record<string, unknown> }, pick: Picker) => unknown,
): string {
  if (keywords.length === recordedKeywords.length && keywords.every((k, i) => k === recordedKeywords[i])) return body;
  const data = JSON.parse(body.slice(body.indexOf('\n') + 1)) as { default: Record<string, unknown> };
  const pick: Picker = (values, missing) =>
    keywords.map((keyword) => {
      const column = (recordedKeywords as readonly string[]).indexOf(keyword);
      return column >= 0 && values ? values[column] : missing;
    });
  return `${widgetGuard}${JSON.stringify(rebuild(data, pick))}`;
}
