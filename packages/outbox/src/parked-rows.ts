import { and, asc, count, inArray, isNotNull, sql } from 'drizzle-orm';
import { outboxChannel, outboxMessages } from './schema.js';
import type { DbExecutor } from './types.js';

/** An outbox row the relay parked after its event was refused too often. */
export interface ParkedRow {
  position: number;
  eventId: string;
  type: string;
  createdAt: Date;
  parkedAt: Date;
  attempts: number;
  refusals: number;
  lastError: string | null;
  /** The whole event envelope. */
  payload: unknown;
}

/** Parked rows, oldest first, and how many there are in all: for an operator's console or the CLI. */
export async function listParkedRows(db: DbExecutor, options: { limit?: number } = {}): Promise<{ count: number; rows: ParkedRow[] }> {
  const [total] = await db.select({ count: count() }).from(outboxMessages).where(isNotNull(outboxMessages.parkedAt));
  const rows = await db
    .select({
      position: outboxMessages.position,
      eventId: outboxMessages.eventId,
      type: outboxMessages.type,
      createdAt: outboxMessages.createdAt,
      parkedAt: outboxMessages.parkedAt,
      attempts: outboxMessages.attempts,
      refusals: outboxMessages.refusals,
      lastError: outboxMessages.lastError,
      payload: outboxMessages.payload,
    })
    .from(outboxMessages)
    .where(isNotNull(outboxMessages.parkedAt))
    .orderBy(asc(outboxMessages.position))
    .limit(options.limit ?? 100);
  return { count: total?.count ?? 0, rows: rows.map((row) => ({ ...row, position: Number(row.position), parkedAt: row.parkedAt! })) };
}

/**
 * Hands parked rows back to the relay (all of them, or those with the given event ids), with a fresh
 * allowance of refusals, and wakes listening relays. Returns how many. Fix the cause first: a row
 * refused again is parked again after the relay's maxRefusals.
 */
export async function replayParkedRows(db: DbExecutor, options: { eventIds?: readonly string[] } = {}): Promise<number> {
  const parked = isNotNull(outboxMessages.parkedAt);
  const where = options.eventIds ? and(parked, inArray(outboxMessages.eventId, [...options.eventIds])) : parked;
  const result = await db.update(outboxMessages).set({ parkedAt: null, nextAttemptAt: null, refusals: 0 }).where(where);
  if (result.count > 0) await db.execute(sql`select pg_notify(${outboxChannel}, '')`);
  return result.count;
}

/**
 * The parked rows of one database as the service kit's admin routes use them:
 * `buildServiceApp({ ..., outbox: parkedOutbox(db) })` (GET /internal/outbox/parked, POST …/replay).
 */
export function parkedOutbox(db: DbExecutor): {
  list(options: { limit: number }): Promise<{ count: number; rows: ParkedRow[] }>;
  replay(options: { eventIds?: readonly string[] }): Promise<number>;
} {
  return {
    list: (options) => listParkedRows(db, options),
    replay: (options) => replayParkedRows(db, options),
  };
}
