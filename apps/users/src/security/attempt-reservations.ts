import { and, eq, inArray, lt, sql } from 'drizzle-orm';
import type { UsersDatabase } from '../db/client.js';
import { authFailures } from '../db/schema.js';

export interface AttemptLimit {
  scope: string;
  key: string;
  /** Attempts allowed within the window. */
  max: number;
}

/** A reserved attempt counts as a failure until it is released (the attempt turned out fine). */
export type Reservation =
  | { granted: true; release(): Promise<void> }
  | { granted: false; retryAfterSeconds: number };

/** Keeps these locks apart from other advisory locks in the database (two-key form, first key). */
const lockNamespace = 0x7468726f; // "thro"

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
  private readonly window;

  constructor(
    private readonly db: UsersDatabase,
    windowSeconds: number,
  ) {
    this.window = sql`make_interval(secs => ${windowSeconds})`;
  }

  async reserve(limits: AttemptLimit[]): Promise<Reservation> {
    const ordered = [...limits].sort((a, b) => `${a.scope} ${a.key}`.localeCompare(`${b.scope} ${b.key}`));
    const outcome = await this.db.transaction(async (tx): Promise<{ retryAfterSeconds: number } | { ids: number[] }> => {
      for (const { scope, key } of ordered) {
        await tx.execute(sql`select pg_advisory_xact_lock(${lockNamespace}::int4, hashtext(${`${scope} ${key}`}))`);
      }
      const waits = await Promise.all(ordered.map((limit) => this.waitFor(tx, limit)));
      const longest = Math.max(0, ...waits.map((wait) => wait ?? 0));
      if (longest > 0) return { retryAfterSeconds: longest };
      const rows = await tx
        .insert(authFailures)
        .values(ordered.map(({ scope, key }) => ({ scope, key })))
        .returning({ id: authFailures.id });
      return { ids: rows.map((row) => row.id) };
    });
    if ('retryAfterSeconds' in outcome) return { granted: false, retryAfterSeconds: outcome.retryAfterSeconds };
    await this.prune();
    return { granted: true, release: () => this.release(outcome.ids) };
  }

  /** Seconds until one more attempt fits in every limit; undefined when one fits now. Reserves nothing. */
  async retryAfter(limits: AttemptLimit[]): Promise<number | undefined> {
    const waits = await Promise.all(limits.map((limit) => this.waitFor(this.db, limit)));
    const longest = Math.max(0, ...waits.map((wait) => wait ?? 0));
    return longest > 0 ? longest : undefined;
  }

  /** Forgets every attempt of one (scope, key), e.g. an account's after its owner signed in. */
  async forget(scope: string, key: string): Promise<void> {
    await this.db.delete(authFailures).where(and(eq(authFailures.scope, scope), eq(authFailures.key, key)));
  }

  private async release(ids: number[]): Promise<void> {
    if (ids.length > 0) await this.db.delete(authFailures).where(inArray(authFailures.id, ids));
  }

  /**
   * With `max` or more attempts in the window, the wait is until the max-th most recent one
   * leaves the window, when the count drops below `max` again.
   */
  private async waitFor(db: Pick<UsersDatabase, 'select'>, { scope, key, max }: AttemptLimit): Promise<number | undefined> {
    const [row] = await db
      .select({ wait: sql<number>`extract(epoch from (${authFailures.failedAt} + ${this.window} - now()))::float8` })
      .from(authFailures)
      .where(and(eq(authFailures.scope, scope), eq(authFailures.key, key), sql`${authFailures.failedAt} > now() - ${this.window}`))
      .orderBy(sql`${authFailures.failedAt} desc`)
      .offset(max - 1)
      .limit(1);
    return row ? Math.max(1, Math.ceil(row.wait)) : undefined;
  }

  /** Keeps the table as small as the window: older rows can no longer count. */
  private async prune(): Promise<void> {
    await this.db.delete(authFailures).where(lt(authFailures.failedAt, sql`now() - ${this.window}`));
  }
}
