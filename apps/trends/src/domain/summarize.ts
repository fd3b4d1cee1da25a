import { trendSummarySchema, type TrendSummary } from '@trendcast/events';
import type { TrendResults } from '../integrations/google/trend-data.js';

const peaksPerKeyword = 3;
const queriesPerKeyword = 10;
const topRegionCount = 10;

/**
 * The compact digest announced with trends.search.completed: enough for a model to write about the
 * trend (when it peaked, how strong it is on average, what people search with it, where).
 */
export function summarize(results: TrendResults, period: { startTime: Date; endTime: Date }): TrendSummary {
  const { interestOverTime, interestByRegion, relatedQueries } = results;
  const keywords = interestOverTime.keywords;

  const peaks = keywords.flatMap((keyword, column) =>
    interestOverTime.points
      .filter((point) => point.hasData[column])
      .map((point) => ({ keyword, date: point.time, value: point.values[column] ?? 0 }))
      .sort((a, b) => b.value - a.value || a.date.localeCompare(b.date))
      .slice(0, peaksPerKeyword),
  );

  const averages = keywords.map((keyword, column) => {
    const fromGoogle = interestOverTime.averages?.[column];
    const values = interestOverTime.points.filter((point) => point.hasData[column]).map((point) => point.values[column] ?? 0);
    const mean = values.length > 0 ? values.reduce((sum, value) => sum + value, 0) / values.length : 0;
    return { keyword, value: Math.round((fromGoogle ?? mean) * 10) / 10 };
  });

  const risingQueries = relatedQueries.flatMap((related) =>
    related.rising
      .slice(0, queriesPerKeyword)
      .map((item) => ({ keyword: related.keyword, query: cut(item.query, 200), value: cut(item.formattedValue, 50) })),
  );
  const topQueries = relatedQueries.flatMap((related) =>
    related.top.slice(0, queriesPerKeyword).map((item) => ({ keyword: related.keyword, query: cut(item.query, 200), value: item.value })),
  );

  // With several keywords Google gives each region's share per keyword; a region ranks by its strongest one.
  const topRegions = interestByRegion.regions
    .filter((region) => region.hasData.some(Boolean))
    .map((region) => ({ name: cut(region.name, 100), code: cut(region.code, 20), value: Math.max(...region.values) }))
    .sort((a, b) => b.value - a.value || a.name.localeCompare(b.name))
    .slice(0, topRegionCount);

  return trendSummarySchema.parse({
    timeframe: { start: period.startTime.toISOString(), end: period.endTime.toISOString() },
    peaks,
    averages,
    risingQueries,
    topQueries,
    topRegions,
  });
}

function cut(text: string, max: number): string {
  return text.length <= max ? text : text.slice(0, max);
}
