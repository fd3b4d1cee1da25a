import type { DomainEvent } from '@trendcast/events';
import { getTableName, sql as dsql, type SQL } from 'drizzle-orm';
import type { Sql } from 'postgres';
import { driverOf } from './driver.js';
import { outboxChannel, outboxMessages } from './schema.js';
import type { Database, EventSink, OutboxLogger, Transaction } from './types.js';

export interface OutboxRelayOptions {
  db: Database;
  /** The `postgres` client behind `db`, to LISTEN for new rows. Without it the relay only polls. */
  sql?: Sql;
  sink: EventSink;
  logger: OutboxLogger;
  /** Rows published per transaction, all with their confirms outstanding at once. */
  batchSize?: number;
  /** How often to look for rows without being notified: a lost notify, a crash's leftovers, a standby's turn. */
  pollIntervalMs?: number;
  /**
   * After publishing (or being notified), keep looking every `lingerPollIntervalMs` for this long before
   * falling back to `pollIntervalMs`: producers notify at most once per few milliseconds, so the rows
   * of a busy stream arrive without a notify of their own. It is also the pause after a batch that
   * drained the backlog, so the rows committed meanwhile share the next batch's transaction.
   */
  lingerMs?: number;
  lingerPollIntervalMs?: number;
  /** A publish not confirmed within this time counts as failed; the row is retried. */
  publishTimeoutMs?: number;
  minRetryDelayMs?: number;
  maxRetryDelayMs?: number;
  /** How long sent rows stay (for inspection) before cleanup deletes them; 0 deletes them as they are confirmed. */
  sentRetentionMs?: number;
  cleanupIntervalMs?: number;
}

type BatchOutcome =
  /** A full batch was published: more is waiting, so look again at once. */
  | 'more'
  /** Rows were published and the backlog is drained: new rows arrive a few at a time, so let them gather. */
  | 'drained'
  /** Nothing was waiting. */
  | 'idle'
  /** Another relay holds the lock and is publishing. */
  | 'standby'
  | 'failed';

interface PendingRow {
  position: number;
  payload: unknown;
}

const cleanupChunk = 5_000;

const table = getTableName(outboxMessages);
/** Set for the batch transaction only: whether this relay holds the publishing lock. */
const lockFlag = 'trendcast.outbox_relay_locked';
const selectPending = `select position, payload from ${table}
  where current_setting('${lockFlag}', true) = 'true' and sent_at is null order by position limit $1`;
/** Whether a look would find anything: one round trip, no transaction, on the partial index of unsent rows. */
const peekPending = `select exists (select 1 from ${table} where sent_at is null) as pending`;
const markSent = `update ${table} set sent_at = now() where position = any($1::bigint[])`;
const deleteSent = `delete from ${table} where position = any($1::bigint[])`;

/**
 * Publishes outbox rows in position order, each batch inside one transaction that
 * 1. takes a transaction-scoped advisory lock, so one relay at a time publishes (the others stand by,
 *    and take over at their next poll when it dies: its transaction, lock included, ends with its connection);
 * 2. reads the oldest unsent rows and publishes them all with confirms outstanding together;
 * 3. marks sent exactly the rows the broker confirmed, and records the error on the others.
 * The advisory lock is what keeps two relays apart. Row locks (`FOR UPDATE SKIP LOCKED`) would let a
 * second relay publish the next rows at the same time, out of order; plain `FOR UPDATE` would serialize
 * correctly too, but writes a lock record per row for nothing once the advisory lock is held.
 * Delivery is at least once: a relay that dies after a confirm but before its commit leaves rows the next
 * batch publishes again, which the consumers' inbox absorbs.
 */
export class OutboxRelay {
  private readonly db: Database;
  private readonly sql: Sql | undefined;
  private readonly sink: EventSink;
  private readonly logger: OutboxLogger;
  private readonly batchSize: number;
  private readonly pollIntervalMs: number;
  private readonly lingerMs: number;
  private readonly lingerPollIntervalMs: number;
  private readonly publishTimeoutMs: number;
  private readonly minRetryDelayMs: number;
  private readonly maxRetryDelayMs: number;
  private readonly sentRetentionMs: number;
  private readonly cleanupIntervalMs: number;

  private running = false;
  private loop: Promise<void> | undefined;
  private notified = false;
  private lastActivityAt = Number.NEGATIVE_INFINITY;
  private interruptPause: (() => void) | undefined;
  private unlisten: (() => Promise<void>) | undefined;
  private consecutiveFailures = 0;
  private cleanupTimer: NodeJS.Timeout | undefined;
  private cleanupRun: Promise<void> | undefined;
  private startup: Promise<void> | undefined;

  constructor(options: OutboxRelayOptions) {
    this.db = options.db;
    this.sql = options.sql;
    this.sink = options.sink;
    this.logger = options.logger;
    this.batchSize = positive(options.batchSize ?? 500, 'batchSize');
    this.pollIntervalMs = positive(options.pollIntervalMs ?? 1_000, 'pollIntervalMs');
    this.lingerMs = options.lingerMs ?? 100;
    if (!(this.lingerMs >= 0)) throw new RangeError('lingerMs must be 0 or more');
    this.lingerPollIntervalMs = positive(options.lingerPollIntervalMs ?? 5, 'lingerPollIntervalMs');
    this.publishTimeoutMs = positive(options.publishTimeoutMs ?? 30_000, 'publishTimeoutMs');
    this.minRetryDelayMs = positive(options.minRetryDelayMs ?? 200, 'minRetryDelayMs');
    this.maxRetryDelayMs = positive(options.maxRetryDelayMs ?? 30_000, 'maxRetryDelayMs');
    this.sentRetentionMs = options.sentRetentionMs ?? 24 * 60 * 60 * 1000;
    if (!(this.sentRetentionMs >= 0)) throw new RangeError('sentRetentionMs must be 0 or more');
    this.cleanupIntervalMs = positive(options.cleanupIntervalMs ?? 60_000, 'cleanupIntervalMs');
  }

  /** LISTENs (when `sql` is given), then publishes in the background. Rejects if it cannot LISTEN. */
  start(): Promise<void> {
    this.startup ??= this.listenAndRun().catch((error: unknown) => {
      this.startup = undefined;
      throw error;
    });
    return this.startup;
  }

  private async listenAndRun(): Promise<void> {
    if (this.sql) {
      // postgres.js re-listens after a reconnect and calls onlisten again: rows added meanwhile get picked up.
      const listening = await this.sql.listen(outboxChannel, () => this.wake(), () => this.wake());
      this.unlisten = () => listening.unlisten();
    }
    this.running = true;
    this.loop = this.run();
    if (this.sentRetentionMs > 0) this.scheduleCleanup();
    this.logger.info({ batchSize: this.batchSize, pollIntervalMs: this.pollIntervalMs, listening: Boolean(this.sql) }, 'outbox relay started');
  }

  /** Finishes the batch in flight, then stops; the rows it did not reach stay for the next relay. */
  async stop(): Promise<void> {
    await this.startup?.catch(() => {});
    if (!this.running) return;
    this.running = false;
    clearTimeout(this.cleanupTimer);
    this.interruptPause?.();
    await this.loop;
    await this.cleanupRun;
    await this.unlisten?.().catch((error: unknown) => this.logger.warn({ err: error }, 'outbox relay could not unlisten'));
    this.loop = undefined;
    this.unlisten = undefined;
    this.startup = undefined;
    this.logger.info({}, 'outbox relay stopped');
  }

  private wake(): void {
    this.notified = true;
    this.lastActivityAt = performance.now();
    this.interruptPause?.();
  }

  private async run(): Promise<void> {
    let previous: BatchOutcome = 'idle';
    while (this.running) {
      this.notified = false;
      // After an empty look, a cheap peek decides whether a batch transaction is worth opening.
      const outcome: BatchOutcome = previous === 'idle' && !(await this.anythingPending()) ? 'idle' : await this.relayBatch();
      previous = outcome;
      if (!this.running) return;
      if (outcome === 'more') {
        this.lastActivityAt = performance.now();
        continue;
      }
      if (outcome === 'drained') {
        // Looking again at once would find a row or two at the price of a whole batch transaction.
        this.lastActivityAt = performance.now();
        await this.pause(this.lingerPollIntervalMs, false);
        continue;
      }
      if (outcome === 'idle') {
        // A notify that arrived during the look may be for a row its query could not see yet.
        if (this.notified) continue;
        const lingering = performance.now() - this.lastActivityAt < this.lingerMs;
        await this.pause(lingering ? this.lingerPollIntervalMs : this.pollIntervalMs, true);
      } else if (outcome === 'standby') {
        // Notifies are for the active relay; a standby only checks in now and then.
        await this.pause(this.pollIntervalMs, false);
      } else {
        await this.pause(this.retryDelay(), false);
      }
    }
  }

  /** True when unsent rows exist, or when the peek itself failed (the batch then reports the failure). */
  private async anythingPending(): Promise<boolean> {
    const driver = driverOf(this.db);
    if (!driver) return true;
    try {
      const [row] = await driver.unsafe<Array<{ pending: boolean }>>(peekPending, [], { prepare: true });
      return row?.pending !== false;
    } catch {
      return true;
    }
  }

  private pause(ms: number, wakeable: boolean): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.interruptPause = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.interruptPause = () => {
        if (wakeable || !this.running) done();
      };
    });
  }

  private retryDelay(): number {
    const exponential = this.minRetryDelayMs * 2 ** Math.min(this.consecutiveFailures - 1, 20);
    const capped = Math.min(this.maxRetryDelayMs, exponential);
    return capped / 2 + Math.random() * (capped / 2);
  }

  private async relayBatch(): Promise<BatchOutcome> {
    try {
      const outcome = await this.db.transaction((tx) => this.relayBatchIn(tx));
      if (outcome !== 'failed') this.consecutiveFailures = 0;
      return outcome;
    } catch (error) {
      this.consecutiveFailures += 1;
      this.logger.error({ err: error, consecutiveFailures: this.consecutiveFailures }, 'outbox relay batch failed');
      return 'failed';
    }
  }

  private async relayBatchIn(tx: Transaction): Promise<BatchOutcome> {
    // If this process vanishes without closing its socket, the server ends the idle transaction after
    // this timeout and so hands the lock to a standby.
    const idleLimitMs = this.publishTimeoutMs + 10_000;
    // The commit need not wait for its WAL flush: if a server crash lost it, the rows would merely be
    // published again, which consumers absorb anyway. It spares the disk a flush per batch.
    // No parameters (all values are ours), so this runs as one simple query.
    // The statements go straight to the transaction's postgres.js connection: drizzle's query building
    // cost more CPU than the round trips themselves.
    const driver = driverOf(tx);
    if (!driver) throw new Error('the outbox relay needs a drizzle-orm/postgres-js database');
    // The lock and the read are two statements sent together (one write, one round trip). They cannot
    // be one: a statement reads from the snapshot taken when it starts, before its own lock call ran,
    // so it could miss the sent marks of the relay that released the lock meanwhile and publish its
    // rows again. The second statement starts after the first, so it sees them; it reads nothing
    // unless the first recorded, for this transaction, that the lock was granted.
    const [[lock], found] = await Promise.all([
      driver.unsafe<Array<{ locked: boolean }>>(
        `select set_config('${lockFlag}', pg_try_advisory_xact_lock(hashtext('${outboxChannel}'))::text, true) = 'true' as locked,
                set_config('idle_in_transaction_session_timeout', '${Math.round(idleLimitMs)}', true),
                set_config('synchronous_commit', 'off', true)`,
      ),
      driver.unsafe<Array<{ position: string | number; payload: unknown }>>(selectPending, [this.batchSize], { prepare: true }),
    ]);
    if (!lock?.locked) return 'standby';
    if (found.length === 0) return 'idle';
    // bigint arrives as text from postgres.js; positions stay far below 2^53.
    const rows: PendingRow[] = found.map((row) => ({ position: Number(row.position), payload: row.payload }));

    const failures = await this.publishAll(rows);
    const confirmed = rows.filter((row) => !failures.has(row.position)).map((row) => row.position);
    if (confirmed.length > 0) await this.markSent(tx, confirmed);
    if (failures.size === 0) return rows.length === this.batchSize ? 'more' : 'drained';

    await this.recordFailures(tx, failures);
    this.consecutiveFailures += 1;
    const [position, reason] = failures.entries().next().value as [number, string];
    this.logger.error(
      { failed: failures.size, confirmed: confirmed.length, position, reason, consecutiveFailures: this.consecutiveFailures },
      'outbox relay could not publish every event; retrying',
    );
    return 'failed';
  }

  /** Publishes every row at once, in order; returns the failed positions with their reasons. */
  private async publishAll(rows: PendingRow[]): Promise<Map<number, string>> {
    const failures = new Map<number, string>();
    const settled = new Set<number>();
    const publishes = rows.map((row) =>
      Promise.resolve()
        .then(() => this.sink.publish(row.payload as DomainEvent))
        .then(
          () => settled.add(row.position),
          (error: unknown) => {
            settled.add(row.position);
            failures.set(row.position, describe(error));
          },
        ),
    );
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, this.publishTimeoutMs);
    });
    await Promise.race([Promise.all(publishes), deadline]);
    clearTimeout(timer);
    for (const row of rows) {
      if (!settled.has(row.position)) failures.set(row.position, `no confirm within ${this.publishTimeoutMs} ms`);
    }
    return failures;
  }

  private async markSent(tx: Transaction, positions: number[]): Promise<void> {
    const driver = driverOf(tx)!;
    // One array parameter: the statement text stays the same whatever the batch size, so it is prepared once.
    await driver.unsafe(this.sentRetentionMs === 0 ? deleteSent : markSent, [`{${positions.join(',')}}`], { prepare: true });
  }

  private async recordFailures(tx: Transaction, failures: Map<number, string>): Promise<void> {
    const byReason = new Map<string, number[]>();
    for (const [position, reason] of failures) byReason.set(reason, [...(byReason.get(reason) ?? []), position]);
    for (const [reason, positions] of byReason) {
      await tx
        .update(outboxMessages)
        .set({ attempts: dsql`${outboxMessages.attempts} + 1`, lastError: reason.slice(0, 2_000) })
        .where(atPositions(positions));
    }
  }

  private scheduleCleanup(): void {
    this.cleanupTimer = setTimeout(() => {
      this.cleanupRun = this.deleteExpiredSentRows()
        .then(() => undefined)
        .catch((error: unknown) => this.logger.warn({ err: error }, 'outbox cleanup failed'))
        .finally(() => {
          this.cleanupRun = undefined;
          if (this.running) this.scheduleCleanup();
        });
    }, this.cleanupIntervalMs);
  }

  /** Deletes sent rows past the retention, a chunk at a time so no statement holds many locks. */
  async deleteExpiredSentRows(): Promise<number> {
    let total = 0;
    for (;;) {
      const result = await this.db.execute(dsql`
        delete from ${outboxMessages} where ${outboxMessages.position} in (
          select ${outboxMessages.position} from ${outboxMessages}
          where ${outboxMessages.sentAt} < now() - ${this.sentRetentionMs} * interval '1 millisecond'
          order by ${outboxMessages.position} limit ${cleanupChunk})`);
      total += result.count;
      if (result.count < cleanupChunk) break;
    }
    if (total > 0) this.logger.debug({ deleted: total }, 'outbox cleanup deleted sent rows');
    return total;
  }
}

/**
 * One array parameter rather than `in ($1, …, $n)`: the statement text stays the same whatever the
 * batch size, so the driver prepares it once per connection instead of once per size.
 */
function atPositions(positions: number[]): SQL {
  return dsql`${outboxMessages.position} = any(${`{${positions.join(',')}}`}::bigint[])`;
}

function positive(value: number, name: string): number {
  if (!Number.isFinite(value) || value <= 0) throw new RangeError(`${name} must be a positive number`);
  return value;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message || error.name : String(error);
}
