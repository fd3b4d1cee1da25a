import { getTableName, sql as dsql, type SQL } from 'drizzle-orm';
import type { Sql } from 'postgres';
import { driverOf } from './driver.js';
import { outboxChannel, outboxMessages } from './schema.js';
import type { DbExecutor, Transaction } from './types.js';

/**
 * The relay's statements. The hot ones go straight to the transaction's postgres.js connection:
 * drizzle's query building cost more CPU than the round trips themselves. Each takes one array
 * parameter rather than `in ($1, …, $n)`, so its text stays the same whatever the batch size and the
 * driver prepares it once per connection.
 */

export interface PendingRow {
  position: number;
  payload: unknown;
}

const table = getTableName(outboxMessages);
/** Set for the batch transaction only: whether this relay holds the publishing lock. */
const lockFlag = 'trendcast.outbox_relay_locked';
/** Unsent rows that are neither parked nor waiting for their own next attempt. */
const due = `sent_at is null and parked_at is null and (next_attempt_at is null or next_attempt_at <= now())`;
const selectPending = `select position, payload from ${table}
  where current_setting('${lockFlag}', true) = 'true' and ${due} order by position limit $1`;
/** Whether a look would find anything: one round trip, no transaction, on the partial index of unsent rows. */
const peekPending = `select exists (select 1 from ${table} where ${due}) as pending`;
const markSentStatement = `update ${table} set sent_at = now() where position = any($1::bigint[])`;
const deleteSentStatement = `delete from ${table} where position = any($1::bigint[])`;

/** The postgres.js connection of a transaction; the relay cannot work without one. */
export function relayDriver(tx: Transaction): Sql {
  const driver = driverOf(tx);
  if (!driver) throw new Error('the outbox relay needs a drizzle-orm/postgres-js database');
  return driver;
}

/**
 * Takes the publishing lock and, if granted, reads the oldest `batchSize` unsent rows; null when another
 * relay holds the lock.
 *
 * If this process vanishes without closing its socket, the server ends the idle transaction after
 * `idleLimitMs` and so hands the lock to a standby. The commit need not wait for its WAL flush: if a
 * server crash lost it, the rows would merely be published again, which consumers absorb anyway.
 *
 * The lock and the read are two statements sent together (one write, one round trip). They cannot be
 * one: a statement reads from the snapshot taken when it starts, before its own lock call ran, so it
 * could miss the sent marks of the relay that released the lock meanwhile and publish its rows again.
 * The second statement starts after the first, so it sees them; it reads nothing unless the first
 * recorded, for this transaction, that the lock was granted.
 */
export async function lockAndReadPending(tx: Transaction, batchSize: number, idleLimitMs: number): Promise<PendingRow[] | null> {
  const driver = relayDriver(tx);
  const [[lock], found] = await Promise.all([
    // No parameters (all values are ours), so this runs as one simple query.
    driver.unsafe<Array<{ locked: boolean }>>(
      `select set_config('${lockFlag}', pg_try_advisory_xact_lock(hashtext('${outboxChannel}'))::text, true) = 'true' as locked,
              set_config('idle_in_transaction_session_timeout', '${Math.round(idleLimitMs)}', true),
              set_config('synchronous_commit', 'off', true)`,
    ),
    driver.unsafe<Array<{ position: string | number; payload: unknown }>>(selectPending, [batchSize], { prepare: true }),
  ]);
  if (!lock?.locked) return null;
  // bigint arrives as text from postgres.js; positions stay far below 2^53.
  return found.map((row) => ({ position: Number(row.position), payload: row.payload }));
}

/** True when unsent rows exist, or when it cannot tell (the batch then reports what failed). */
export async function anythingPending(db: DbExecutor): Promise<boolean> {
  const driver = driverOf(db);
  if (!driver) return true;
  try {
    const [row] = await driver.unsafe<Array<{ pending: boolean }>>(peekPending, [], { prepare: true });
    return row?.pending !== false;
  } catch {
    return true;
  }
}

/** Marks the confirmed rows sent, or deletes them when no sent rows are kept. */
export async function markSent(tx: Transaction, positions: number[], deleteInstead: boolean): Promise<void> {
  await relayDriver(tx).unsafe(deleteInstead ? deleteSentStatement : markSentStatement, [positionArray(positions)], { prepare: true });
}

/** A publish that failed, and whose fault it was. */
export interface RowFailure {
  reason: string;
  /** The event's own (refused, not publishable): counts toward parking. Otherwise the broker's. */
  refused: boolean;
  /** The broker blocks publishing (resource alarm). */
  blocked?: boolean;
}

/** How the relay schedules a refused row's next attempt, and when it parks it. */
export interface RefusalPolicy {
  maxRefusals: number;
  minRetryDelayMs: number;
  maxRetryDelayMs: number;
}

/**
 * Records the failed publishes: every one adds to `attempts` and sets `last_error`; a refusal also adds
 * to `refusals` and either sets the row's own next attempt (exponential, with jitter, from its refusal
 * count) or, at `maxRefusals`, parks it. Returns the positions it parked.
 */
export async function recordFailures(tx: Transaction, failures: Map<number, RowFailure>, policy: RefusalPolicy): Promise<number[]> {
  const groups = new Map<string, { failure: RowFailure; positions: number[] }>();
  for (const [position, failure] of failures) {
    const key = `${failure.refused}:${failure.reason}`;
    const group = groups.get(key) ?? { failure, positions: [] };
    group.positions.push(position);
    groups.set(key, group);
  }
  const parked: number[] = [];
  for (const { failure, positions } of groups.values()) {
    const lastError = failure.reason.slice(0, 2_000);
    if (!failure.refused) {
      await tx.update(outboxMessages).set({ attempts: dsql`${outboxMessages.attempts} + 1`, lastError }).where(atPositions(positions));
      continue;
    }
    const { maxRefusals, minRetryDelayMs, maxRetryDelayMs } = policy;
    // The delay doubles with each refusal, capped, and half of it is random (equal jitter, as backoffDelay of @trendcast/core).
    const rows = await tx
      .update(outboxMessages)
      .set({
        attempts: dsql`${outboxMessages.attempts} + 1`,
        refusals: dsql`${outboxMessages.refusals} + 1`,
        lastError,
        nextAttemptAt: dsql`now() + least(${maxRetryDelayMs}::float8, ${minRetryDelayMs}::float8 * power(2, ${outboxMessages.refusals})) * (0.5 + random() / 2) * interval '1 millisecond'`,
        parkedAt: dsql`case when ${outboxMessages.refusals} + 1 >= ${maxRefusals} then now() end`,
      })
      .where(atPositions(positions))
      .returning({ position: outboxMessages.position, parkedAt: outboxMessages.parkedAt });
    for (const row of rows) if (row.parkedAt) parked.push(Number(row.position));
  }
  return parked;
}

function atPositions(positions: number[]): SQL {
  return dsql`${outboxMessages.position} = any(${positionArray(positions)}::bigint[])`;
}

function positionArray(positions: number[]): string {
  return `{${positions.join(',')}}`;
}
