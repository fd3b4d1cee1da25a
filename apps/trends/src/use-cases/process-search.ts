import { deleteSearch, findSearch, markSearchRetrying, markSearchRunning } from '../data/searches.js';
import { isErased } from '../data/tombstones.js';
import type { SearchRow } from '../db/schema.js';
import { summarize } from '../domain/summarize.js';
import { GoogleTrendsError } from '../integrations/google/google-trends-error.js';
import type { SearchProperty } from '../integrations/google/trends-query.js';
import type { TrendsDeps } from './deps.js';
import { fetchTrendResults, type SearchParts } from './fetch-trend-results.js';
import { findCachedResult } from '../data/cached-results.js';
import { completeSearch, failSearch } from '../data/search-outcomes.js';

export interface SearchAttempt {
  searchId: string;
  /** 1 for the first try. */
  attempt: number;
  maxAttempts: number;
  parts: SearchParts;
  saveParts(parts: SearchParts): Promise<void>;
}

export type AttemptOutcome =
  | { outcome: 'completed'; cached: boolean }
  | { outcome: 'failed'; reason: string }
  /** The search is gone or already finished: nothing to do. */
  | { outcome: 'skipped' };

/**
 * One attempt at a search: answers from the cache when it can, otherwise asks Google and stores
 * the result with its event. A failure Google may get over (429, HTML page, cut body…) is rethrown
 * for the queue to retry with backoff; a permanent one, or the last attempt, fails the search with
 * trends.search.failed.
 */
export async function processSearch(deps: TrendsDeps, attempt: SearchAttempt): Promise<AttemptOutcome> {
  const search = await loadPending(deps, attempt.searchId);
  if (!search) return { outcome: 'skipped' };
  if (await isErased(deps.db, search.userId)) {
    // The user's data was erased: this search must go too, and Google is not asked for it.
    await deleteSearch(deps.db, search.id);
    deps.logger.info({ searchId: search.id }, 'search of an erased user deleted instead of run');
    return { outcome: 'skipped' };
  }
  const now = deps.now();
  await markSearchRunning(deps.db, search, attempt.attempt, now);
  const log = deps.logger;

  const cached = await findCachedResult(deps.db, search.cacheKey, deps.settings.cacheTtlMs, now);
  if (cached && cached.searchId !== search.id) {
    const { searchId: cachedFrom, summary, fetchedAt, ...results } = cached;
    const done = await deps.db.transaction((tx) =>
      completeSearch(tx, search, { results, summary, fetchedAt, cachedFrom }, deps.now()),
    );
    return done ? { outcome: 'completed', cached: true } : { outcome: 'skipped' };
  }

  const query = {
    keywords: search.keywords,
    geo: search.geo,
    startTime: search.startTime,
    endTime: search.endTime,
    category: search.category,
    property: search.property as SearchProperty,
  };
  try {
    const results = await fetchTrendResults(deps.google, query, attempt.parts, attempt.saveParts);
    const summary = summarize(results, query);
    const done = await deps.db.transaction((tx) => completeSearch(tx, search, { results, summary, fetchedAt: deps.now() }, deps.now()));
    log.info({ searchId: search.id, attempt: attempt.attempt, done }, 'search completed');
    return done ? { outcome: 'completed', cached: false } : { outcome: 'skipped' };
  } catch (error) {
    if (!(error instanceof GoogleTrendsError)) throw error;
    if (error.kind === 'rate_limited') await deps.gate.cooldown(error.retryAfterMs ?? deps.settings.rateLimitCooldownMs);
    const lastTry =
      !error.retryable ||
      attempt.attempt >= attempt.maxAttempts ||
      (error.kind === 'no_data' && attempt.attempt >= deps.settings.noDataAttempts);
    if (lastTry) {
      const reason = error.retryable ? `${error.reason} (gave up after ${attempt.attempt} ${attempt.attempt === 1 ? 'attempt' : 'attempts'})` : error.reason;
      await failSearch(deps.db, search, reason, deps.now());
      log.warn({ searchId: search.id, attempt: attempt.attempt, kind: error.kind, reason }, 'search failed');
      return { outcome: 'failed', reason };
    }
    await markSearchRetrying(deps.db, search.id, error.reason, deps.now());
    log.warn({ searchId: search.id, attempt: attempt.attempt, kind: error.kind, reason: error.reason }, 'search attempt failed; will retry');
    throw error;
  }
}

/** Fails a search whose job died for a reason other than Google (e.g. the database was down on every attempt). */
export async function failSearchAfterCrash(deps: TrendsDeps, searchId: string, cause: string): Promise<boolean> {
  const search = await loadPending(deps, searchId);
  if (!search) return false;
  return failSearch(deps.db, search, `The search could not be processed (${cause})`, deps.now());
}

async function loadPending(deps: TrendsDeps, searchId: string): Promise<SearchRow | undefined> {
  const search = await findSearch(deps.db, searchId);
  if (!search || (search.status !== 'queued' && search.status !== 'running')) return undefined;
  return search;
}
