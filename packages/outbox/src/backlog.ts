import { sql } from 'drizzle-orm';
import { outboxMessages } from './schema.js';
import type { DbExecutor } from './types.js';

export interface OutboxBacklog {
  /** Rows the relay still has to publish (waiting for their own next attempt included; parked ones not). */
  pending: number;
  /** Age of the oldest of them; null when nothing waits. A growing age means the relay is stuck. */
  oldestPendingAgeMs: number | null;
  /** Highest attempt count among them: above 0, publishing has been failing. */
  maxAttempts: number;
  /** Rows parked for an operator (listParkedRows, replayParkedRows). */
  parked: number;
}

/** What the relay still has to publish, and what it parked, for readiness checks and metrics. */
export async function outboxBacklog(db: DbExecutor): Promise<OutboxBacklog> {
  const unparked = sql`${outboxMessages.parkedAt} is null`;
  const [row] = await db
    .select({
      pending: sql<number>`(count(*) filter (where ${unparked}))::int`,
      oldestPendingAgeMs: sql<number | null>`(extract(epoch from now() - min(${outboxMessages.createdAt}) filter (where ${unparked})) * 1000)::float8`,
      maxAttempts: sql<number>`coalesce(max(${outboxMessages.attempts}) filter (where ${unparked}), 0)::int`,
      parked: sql<number>`(count(*) filter (where ${outboxMessages.parkedAt} is not null))::int`,
    })
    .from(outboxMessages)
    .where(sql`${outboxMessages.sentAt} is null`);
  return { pending: row?.pending ?? 0, oldestPendingAgeMs: row?.oldestPendingAgeMs ?? null, maxAttempts: row?.maxAttempts ?? 0, parked: row?.parked ?? 0 };
}
