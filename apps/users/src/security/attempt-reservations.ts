import {
  deleteFailures,
  deleteFailuresById,
  insertFailures,
  lockFailureKeys,
  pruneFailures,
  secondsUntilBelow,
  type FailureScope,
} from '../data/auth-failures.js';
import type { Executor, UsersDatabase } from '../db/client.js';

export interface AttemptLimit {
  scope: FailureScope;
  key: string;
  /** Attempts allowed within the window. */
  max: number;
}

/** A reserved attempt counts as a failure until it is released (the attempt turned out fine). */
export type Reservation =
  | { granted: true; release(): Promise<void> }
  | { granted: false; retryAfterSeconds: number };

/**
 * Sliding windows of attempts in `auth_failures`, reserved before the work they guard.
 *
 * Checking a count and recording a failure afterwards lets every concurrent request pass the check
 * before the first failure is written (200 parallel logins all reached the password check). Here
 * an attempt is counted before it runs: one transaction takes a lock per (scope, key), counts the
 * window, and inserts the attempt's rows only when every limit still has room. The count is a
 * separate statement after the locks, since a statement sees only what was committed when it
 * started. Locks are taken in a fixed order, so two keys never deadlock.
 */
export class AttemptLedger {
  constructor(
    private readonly db: UsersDatabase,
    private readonly windowSeconds: number,
  ) {}

  async reserve(limits: AttemptLimit[]): Promise<Reservation> {
    const ordered = [...limits].sort((a, b) => `${a.scope} ${a.key}`.localeCompare(`${b.scope} ${b.key}`));
    const outcome = await this.db.transaction(async (tx): Promise<{ retryAfterSeconds: number } | { ids: number[] }> => {
      await lockFailureKeys(tx, ordered);
      const retryAfterSeconds = await this.longestWait(tx, ordered);
      if (retryAfterSeconds !== undefined) return { retryAfterSeconds };
      return { ids: await insertFailures(tx, ordered.map(({ scope, key }) => ({ scope, key }))) };
    });
    if ('retryAfterSeconds' in outcome) return { granted: false, retryAfterSeconds: outcome.retryAfterSeconds };
    // Keeps the table as small as the window: older rows can no longer count.
    await pruneFailures(this.db, this.windowSeconds);
    return { granted: true, release: () => deleteFailuresById(this.db, outcome.ids) };
  }

  /** Seconds until one more attempt fits in every limit; undefined when one fits now. Reserves nothing. */
  retryAfter(limits: AttemptLimit[]): Promise<number | undefined> {
    return this.longestWait(this.db, limits);
  }

  /** Forgets every attempt of one (scope, key), e.g. an account's after its owner signed in. */
  forget(scope: FailureScope, key: string): Promise<void> {
    return deleteFailures(this.db, { scope, key });
  }

  /**
   * With `max` or more attempts in the window, the wait is until the max-th most recent one
   * leaves the window, when the count drops below `max` again.
   */
  private async longestWait(db: Executor, limits: AttemptLimit[]): Promise<number | undefined> {
    const waits = await Promise.all(limits.map((limit) => secondsUntilBelow(db, { ...limit, windowSeconds: this.windowSeconds })));
    const longest = Math.max(0, ...waits.map((wait) => wait ?? 0));
    return longest > 0 ? longest : undefined;
  }
}
