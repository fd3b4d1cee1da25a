import { sql } from 'drizzle-orm';
import { outboxMessages } from './schema.js';
import type { DbExecutor } from './types.js';

export interface OutboxBacklog {
  pending: number;
  /** Age of the oldest unpublished event; null when nothing waits. A growing age means the relay is stuck. */
  oldestPendingAgeMs: number | null;
  /** Highest attempt count among unpublished events: above 0, the broker has been refusing them. */
  maxAttempts: number;
}

/** What the relay still has to publish, for readiness checks and metrics. */
export async function outboxBacklog(db: DbExecutor): Promise<OutboxBacklog> {
  const [row] = await db
    .select({
      pending: sql<number>`count(*)::int`,
      oldestPendingAgeMs: sql<number | null>`(extract(epoch from now() - min(${outboxMessages.createdAt})) * 1000)::float8`,
      maxAttempts: sql<number>`coalesce(max(${outboxMessages.attempts}), 0)::int`,
    })
    .from(outboxMessages)
    .where(sql`${outboxMessages.sentAt} is null`);
  return { pending: row?.pending ?? 0, oldestPendingAgeMs: row?.oldestPendingAgeMs ?? null, maxAttempts: row?.maxAttempts ?? 0 };
}
