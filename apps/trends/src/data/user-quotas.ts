import { HttpError } from '@trendcast/service-kit';
import { and, count, eq, gt, inArray, isNull, min } from 'drizzle-orm';
import type { TrendsDatabase } from '../db/client.js';
import { searches, watches } from '../db/schema.js';

type Transaction = Parameters<Parameters<TrendsDatabase['transaction']>[0]>[0];

/** What one person may queue at once: the Google gate is shared, so one user must not starve the rest. */
export interface UserQuotas {
  /** Active watches per user. */
  maxActiveWatches: number;
  /** Searches queued or running per user (watch runs included). */
  maxSearchesInFlight: number;
  /** Searches started through the API per user in any 60 seconds. */
  maxSearchesPerMinute: number;
}

function quotaExceeded(code: string, message: string, retryAfterSeconds: number, details: object): HttpError {
  const seconds = Math.max(1, Math.ceil(retryAfterSeconds));
  return new HttpError(429, code, message, { ...details, retryAfterSeconds: seconds }, { 'retry-after': String(seconds) });
}

/**
 * Checks, inside the transaction that will insert the search and after guardUserWrites took the
 * user's lock, that one more search fits. The lock makes concurrent requests count one another.
 */
export async function checkSearchQuota(tx: Transaction, userId: string, quotas: UserQuotas, now: Date): Promise<void> {
  const [inFlight] = await tx
    .select({ n: count() })
    .from(searches)
    .where(and(eq(searches.userId, userId), inArray(searches.status, ['queued', 'running'])));
  if ((inFlight?.n ?? 0) >= quotas.maxSearchesInFlight) {
    throw quotaExceeded(
      'TOO_MANY_SEARCHES_IN_FLIGHT',
      `At most ${quotas.maxSearchesInFlight} of your searches can be queued or running at once; wait for one to finish`,
      30,
      { limit: quotas.maxSearchesInFlight },
    );
  }
  const [recent] = await tx
    .select({ n: count(), oldest: min(searches.createdAt) })
    .from(searches)
    .where(and(eq(searches.userId, userId), isNull(searches.watchId), gt(searches.createdAt, new Date(now.getTime() - 60_000))));
  if ((recent?.n ?? 0) >= quotas.maxSearchesPerMinute) {
    const oldest = recent?.oldest ? new Date(recent.oldest).getTime() : now.getTime();
    throw quotaExceeded(
      'SEARCH_RATE_LIMITED',
      `At most ${quotas.maxSearchesPerMinute} searches a minute; try again shortly`,
      (oldest + 60_000 - now.getTime()) / 1000,
      { limit: quotas.maxSearchesPerMinute },
    );
  }
}

/** Checks, under the user's lock, that one more active watch fits (creating or resuming one). */
export async function checkWatchQuota(tx: Transaction, userId: string, quotas: UserQuotas): Promise<void> {
  const [active] = await tx
    .select({ n: count() })
    .from(watches)
    .where(and(eq(watches.userId, userId), eq(watches.status, 'active')));
  if ((active?.n ?? 0) >= quotas.maxActiveWatches) {
    throw quotaExceeded(
      'TOO_MANY_WATCHES',
      `At most ${quotas.maxActiveWatches} of your watches can be active; pause or delete one first`,
      60,
      { limit: quotas.maxActiveWatches },
    );
  }
}
