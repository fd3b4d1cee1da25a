import { trendsError } from './errors.js';

/** What one person may queue at once: the Google gate is shared, so one user must not starve the rest. */
export interface UserQuotas {
  /** Active watches per user. */
  maxActiveWatches: number;
  /** Searches queued or running per user (watch runs included). */
  maxSearchesInFlight: number;
  /** Searches started through the API per user in any 60 seconds. */
  maxSearchesPerMinute: number;
}

/** The window of maxSearchesPerMinute. */
export const searchRateWindowMs = 60_000;

export interface SearchUsage {
  /** The user's searches queued or running. */
  inFlight: number;
  /** Searches the user started through the API within the rate window. */
  startedRecently: number;
  /** When the oldest of those started (null when none did). */
  oldestRecentStart: Date | null;
}

/** Refuses one more search when the user has as many in flight, or started as many this minute, as allowed. */
export function assertSearchFits(usage: SearchUsage, quotas: UserQuotas, now: Date): void {
  if (usage.inFlight >= quotas.maxSearchesInFlight) {
    throw quotaExceeded(
      'TOO_MANY_SEARCHES_IN_FLIGHT',
      `At most ${quotas.maxSearchesInFlight} of your searches can be queued or running at once; wait for one to finish`,
      quotas.maxSearchesInFlight,
      30,
    );
  }
  if (usage.startedRecently >= quotas.maxSearchesPerMinute) {
    // A slot frees when the oldest search of the window leaves it.
    const oldest = (usage.oldestRecentStart ?? now).getTime();
    throw quotaExceeded(
      'SEARCH_RATE_LIMITED',
      `At most ${quotas.maxSearchesPerMinute} searches a minute; try again shortly`,
      quotas.maxSearchesPerMinute,
      (oldest + searchRateWindowMs - now.getTime()) / 1000,
    );
  }
}

/** Refuses one more active watch (created or resumed) when the user has as many as allowed. */
export function assertWatchFits(activeWatches: number, quotas: UserQuotas): void {
  if (activeWatches >= quotas.maxActiveWatches) {
    throw quotaExceeded(
      'TOO_MANY_WATCHES',
      `At most ${quotas.maxActiveWatches} of your watches can be active; pause or delete one first`,
      quotas.maxActiveWatches,
      60,
    );
  }
}

function quotaExceeded(
  code: 'TOO_MANY_SEARCHES_IN_FLIGHT' | 'SEARCH_RATE_LIMITED' | 'TOO_MANY_WATCHES',
  message: string,
  limit: number,
  retryAfterSeconds: number,
) {
  const seconds = Math.max(1, Math.ceil(retryAfterSeconds));
  return trendsError(code, { message, details: { limit, retryAfterSeconds: seconds }, retryAfterSeconds: seconds });
}
