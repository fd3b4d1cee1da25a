import { and, eq, lt, sql } from 'drizzle-orm';
import type { Executor } from '../db/client.js';
import { authFailures } from '../db/schema.js';

export type FailureScope = 'login:account' | 'login:ip' | 'register:ip';

/** A sliding window of `seconds`, measured by PostgreSQL's clock so every instance agrees. */
const windowOf = (seconds: number) => sql`make_interval(secs => ${seconds})`;

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

/** Records failures, and drops those older than the window: they can no longer count. */
export async function insertFailures(
  db: Executor,
  failures: Array<{ scope: FailureScope; key: string }>,
  windowSeconds: number,
): Promise<void> {
  await db.insert(authFailures).values(failures);
  await db.delete(authFailures).where(lt(authFailures.failedAt, sql`now() - ${windowOf(windowSeconds)}`));
}

export async function deleteFailures(db: Executor, o: { scope: FailureScope; key: string }): Promise<void> {
  await db.delete(authFailures).where(and(eq(authFailures.scope, o.scope), eq(authFailures.key, o.key)));
}
