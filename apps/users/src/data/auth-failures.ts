import { and, eq, inArray, lt, sql } from 'drizzle-orm';
import type { Executor, UsersTransaction } from '../db/client.js';
import { authFailures } from '../db/schema.js';

export type FailureScope = 'login:account' | 'login:ip' | 'register:ip';

/** A sliding window of `seconds`, measured by PostgreSQL's clock so every instance agrees. */
const windowOf = (seconds: number) => sql`make_interval(secs => ${seconds})`;

/** Keeps these locks apart from other advisory locks in the database (two-key form, first key). */
const lockNamespace = 0x7468726f; // "thro"

/**
 * Takes a transaction-scoped lock per (scope, key), in the order given: callers pass them in one
 * fixed order, so two transactions locking overlapping keys never deadlock.
 */
export async function lockFailureKeys(tx: UsersTransaction, keys: Array<{ scope: FailureScope; key: string }>): Promise<void> {
  for (const { scope, key } of keys) {
    await tx.execute(sql`select pg_advisory_xact_lock(${lockNamespace}::int4, hashtext(${`${scope} ${key}`}))`);
  }
}

/**
 * Seconds until the `max`-th most recent failure of (scope, key) leaves the window, when the count
 * drops below `max` again; undefined while fewer than `max` failures are in the window.
 */
export async function secondsUntilBelow(
  db: Executor,
  o: { scope: FailureScope; key: string; max: number; windowSeconds: number },
): Promise<number | undefined> {
  const window = windowOf(o.windowSeconds);
  const [row] = await db
    .select({ wait: sql<number>`extract(epoch from (${authFailures.failedAt} + ${window} - now()))::float8` })
    .from(authFailures)
    .where(and(eq(authFailures.scope, o.scope), eq(authFailures.key, o.key), sql`${authFailures.failedAt} > now() - ${window}`))
    .orderBy(sql`${authFailures.failedAt} desc`)
    .offset(o.max - 1)
    .limit(1);
  return row ? Math.max(1, Math.ceil(row.wait)) : undefined;
}

/** Records failures (or reserved attempts) and returns their ids, so a reservation can be released. */
export async function insertFailures(db: Executor, failures: Array<{ scope: FailureScope; key: string }>): Promise<number[]> {
  const rows = await db.insert(authFailures).values(failures).returning({ id: authFailures.id });
  return rows.map((row) => row.id);
}

/** Drops the failures older than the window: they can no longer count. */
export async function pruneFailures(db: Executor, windowSeconds: number): Promise<void> {
  await db.delete(authFailures).where(lt(authFailures.failedAt, sql`now() - ${windowOf(windowSeconds)}`));
}

export async function deleteFailures(db: Executor, o: { scope: FailureScope; key: string }): Promise<void> {
  await db.delete(authFailures).where(and(eq(authFailures.scope, o.scope), eq(authFailures.key, o.key)));
}

export async function deleteFailuresById(db: Executor, ids: number[]): Promise<void> {
  if (ids.length > 0) await db.delete(authFailures).where(inArray(authFailures.id, ids));
}
