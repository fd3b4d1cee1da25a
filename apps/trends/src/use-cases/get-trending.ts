import type { Redis } from 'ioredis';
import type { TrendingSearch } from '../trending/parse-trending-rss.js';
import type { TrendingFeed } from '../trending/trending-feed.js';

export interface TrendingNow {
  geo: string;
  fetchedAt: string;
  items: TrendingSearch[];
}

/**
 * What is trending now in a country, from Google's RSS feed, kept in Redis for `cacheTtlMs` so every
 * instance asks Google at most once per country and period.
 */
export async function getTrending(
  deps: { feed: TrendingFeed; redis: Redis; keyPrefix: string; cacheTtlMs: number; now: () => Date },
  geo: string,
): Promise<TrendingNow> {
  const key = `${deps.keyPrefix}:trending:${geo}`;
  if (deps.cacheTtlMs > 0) {
    const cached = await deps.redis.get(key);
    if (cached) return JSON.parse(cached) as TrendingNow;
  }
  const trending: TrendingNow = { geo, fetchedAt: deps.now().toISOString(), items: await deps.feed.fetch(geo) };
  if (deps.cacheTtlMs > 0) await deps.redis.set(key, JSON.stringify(trending), 'PX', deps.cacheTtlMs);
  return trending;
}
