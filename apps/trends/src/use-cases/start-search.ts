import type { GenerateRequest } from '@trendcast/events';
import { insertSearch } from '../data/searches.js';
import type { SearchRow } from '../db/schema.js';
import { checkSearchQuota, guardUserWrites } from './user-writes.js';
import { cacheKeyOf } from '../domain/cache-key.js';
import type { SearchSpec } from '../domain/search-request.js';
import type { TrendsDeps } from './deps.js';
import { findCachedResult } from '../data/cached-results.js';
import { completeSearch } from '../data/search-outcomes.js';

export interface StartSearchInput {
  userId: string;
  spec: SearchSpec;
  generate: GenerateRequest | null;
  correlationId: string;
  watchId?: string;
  /** Makes the start idempotent (a watch run retried by BullMQ starts one search, not two). */
  triggerKey?: string;
}

/**
 * Records a search and either answers it from a fresh stored result (completed at once, event in the
 * same transaction) or queues a job for it. The database is the source of truth: if Redis cannot take
 * the job now, the search stays queued and the reconciler queues it later.
 */
export async function startSearch(
  deps: Pick<TrendsDeps, 'db' | 'queue' | 'logger' | 'settings' | 'now'>,
  input: StartSearchInput,
): Promise<SearchRow | undefined> {
  const now = deps.now();
  const cacheKey = cacheKeyOf(input.spec);

  const started = await deps.db.transaction(async (tx) => {
    // Nothing is written for an erased user; what one user queues through the API is bounded.
    await guardUserWrites(tx, input.userId);
    if (!input.watchId) await checkSearchQuota(tx, input.userId, deps.settings.quotas, now);
    const search = await insertSearch(tx, { ...input, cacheKey, now });
    if (!search) return undefined;
    const cached = await findCachedResult(tx, cacheKey, deps.settings.cacheTtlMs, now);
    if (!cached) return { search, cached: false };
    await completeSearch(
      tx,
      search,
      {
        results: {
          interestOverTime: cached.interestOverTime,
          interestByRegion: cached.interestByRegion,
          relatedQueries: cached.relatedQueries,
          relatedTopics: cached.relatedTopics,
        },
        summary: cached.summary,
        fetchedAt: cached.fetchedAt,
        cachedFrom: cached.searchId,
      },
      now,
    );
    return { search: { ...search, status: 'completed' as const, completedAt: now, cachedFrom: cached.searchId }, cached: true };
  });

  if (!started) return undefined;
  if (!started.cached) {
    try {
      await deps.queue.enqueueSearch(started.search.id);
    } catch (error) {
      deps.logger.warn({ err: error, searchId: started.search.id }, 'could not queue the search now; the reconciler will');
    }
  } else {
    deps.logger.info({ searchId: started.search.id, cachedFrom: started.search.cachedFrom }, 'search answered from the cache');
  }
  return started.search;
}
