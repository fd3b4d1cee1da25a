import type { SearchResultRow, SearchRow, WatchRow } from '../db/schema.js';

/** A search as the API shows it (without its results). */
export function searchView(search: SearchRow, publicBaseUrl: string) {
  return {
    id: search.id,
    status: search.status,
    statusUrl: statusUrlOf(search.id, publicBaseUrl),
    keywords: search.keywords,
    geo: search.geo,
    timeframe: { name: search.timeframe, start: search.startTime.toISOString(), end: search.endTime.toISOString() },
    category: search.category,
    property: search.property,
    generate: search.generate ?? null,
    watchId: search.watchId,
    attempts: search.attempts,
    lastError: search.status === 'completed' ? null : search.lastError,
    failureReason: search.failureReason,
    cached: search.cachedFrom !== null,
    createdAt: search.createdAt.toISOString(),
    updatedAt: search.updatedAt.toISOString(),
    completedAt: search.completedAt?.toISOString() ?? null,
  };
}

/** A search with everything Google answered, once completed. */
export function searchDetailView(search: SearchRow, result: SearchResultRow | null, publicBaseUrl: string) {
  return {
    ...searchView(search, publicBaseUrl),
    results: result
      ? {
          fetchedAt: result.fetchedAt.toISOString(),
          summary: result.summary,
          interestOverTime: result.interestOverTime,
          interestByRegion: result.interestByRegion,
          relatedQueries: result.relatedQueries,
          relatedTopics: result.relatedTopics,
        }
      : null,
  };
}

export function watchView(watch: WatchRow, nextRunAt: Date | null) {
  return {
    id: watch.id,
    status: watch.status,
    keywords: watch.keywords,
    geo: watch.geo,
    timeframe: watch.timeframe,
    category: watch.category,
    property: watch.property,
    every: watch.every,
    timezone: watch.timezone,
    generate: watch.generate ?? null,
    lastRunAt: watch.lastRunAt?.toISOString() ?? null,
    lastSearchId: watch.lastSearchId,
    nextRunAt: watch.status === 'active' ? (nextRunAt?.toISOString() ?? null) : null,
    createdAt: watch.createdAt.toISOString(),
    updatedAt: watch.updatedAt.toISOString(),
  };
}

/** Where a client polls a search: the public API path through the gateway. */
export function statusUrlOf(searchId: string, publicBaseUrl: string): string {
  return `${publicBaseUrl.replace(/\/$/, '')}/api/trends/searches/${searchId}`;
}
