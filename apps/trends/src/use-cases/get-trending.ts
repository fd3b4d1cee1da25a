import { trendsError } from '../domain/errors.js';
import { TrendingFeedError, type TrendingSearch } from '../integrations/google/parse-trending-rss.js';
import { GateWaitTimeout } from '../integrations/google/request-gate.js';
import type { TrendsDeps } from './deps.js';

export interface TrendingNow {
  geo: string;
  fetchedAt: string;
  items: TrendingSearch[];
}

/**
 * What is trending now in a country, from Google's RSS feed, kept in Redis for `cacheTtlMs` so every
 * instance asks Google at most once per country and period.
 */
export async function getTrending(deps: Pick<TrendsDeps, 'trending' | 'now'>, { geo }: { geo: string }): Promise<TrendingNow> {
  const { feed, cache, cacheTtlMs } = deps.trending;
  if (cacheTtlMs > 0) {
    const cached = await cache.get(geo);
    if (cached) return cached;
  }
  const trending: TrendingNow = { geo, fetchedAt: deps.now().toISOString(), items: await fetchFeed(feed, geo) };
  if (cacheTtlMs > 0) await cache.set(geo, trending, cacheTtlMs);
  return trending;
}

async function fetchFeed(feed: TrendsDeps['trending']['feed'], geo: string): Promise<TrendingSearch[]> {
  try {
    return await feed.fetch(geo);
  } catch (error) {
    if (error instanceof TrendingFeedError) throw trendsError('GOOGLE_UNAVAILABLE', { message: error.message, cause: error });
    if (error instanceof GateWaitTimeout) throw trendsError('GOOGLE_BUSY', { retryAfterSeconds: 30, cause: error });
    throw error;
  }
}
