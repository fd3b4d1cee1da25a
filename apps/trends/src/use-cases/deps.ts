import type { Logger } from '@trendcast/core';
import type { TrendingCache } from '../data/trending-cache.js';
import type { TrendsDatabase } from '../db/client.js';
import type { UserQuotas } from '../domain/user-quotas.js';
import type { RequestGate } from '../integrations/google/request-gate.js';
import type { TrendingFeed } from '../integrations/google/trending-feed.js';
import type { SearchQueue } from '../workers/search-queue.js';
import type { TrendsSource } from './fetch-trend-results.js';
import type { TrendingNow } from './get-trending.js';

export interface TrendsSettings {
  /** Identical searches within this window are answered from the stored result (0: never). */
  cacheTtlMs: number;
  /** A search whose keywords have no data is tried this many times at most (fewer than other failures). */
  noDataAttempts: number;
  /** Everyone waits this long after a 429 without Retry-After. */
  rateLimitCooldownMs: number;
  /** Watches may not run more often than this. */
  watchMinIntervalMs: number;
  /** A queued or running search untouched for this long is checked against Redis by the reconciler. */
  reconcileGraceMs: number;
  /** What one user may queue (watches, searches in flight, searches a minute). */
  quotas: UserQuotas;
}

/** Everything the use cases need, built once in the composition root (service.ts); each use case is `fn(deps, input)`. */
export interface TrendsDeps {
  db: TrendsDatabase;
  queue: SearchQueue;
  google: TrendsSource;
  gate: RequestGate;
  trending: { feed: Pick<TrendingFeed, 'fetch'>; cache: TrendingCache<TrendingNow>; cacheTtlMs: number };
  logger: Logger;
  settings: TrendsSettings;
  now: () => Date;
}
