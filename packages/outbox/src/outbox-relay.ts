import { describeError, withDeadline } from '@trendcast/core';
import type { Sql } from 'postgres';
import { publishBatch } from './publish-batch.js';
import { RelayPacer, type BatchOutcome } from './relay-pacing.js';
import { anythingPending, lockAndReadPending, markSent, recordFailures, type RefusalPolicy } from './relay-statements.js';
import { outboxChannel } from './schema.js';
import { SentRowCleanup } from './sent-row-cleanup.js';
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
  /**
   * After a failure: the relay's pause when the broker failed (no connection, no confirm, blocked), and
   * a refused row's own wait before its next attempt; each doubles, with jitter, up to the maximum.
   */
  minRetryDelayMs?: number;
  maxRetryDelayMs?: number;
  /** Refusals of a row's event (not publishable, nacked, returned) before the row is parked for an operator. Default 10. */
  maxRefusals?: number;
  /** How long sent rows stay (for inspection) before cleanup deletes them; 0 deletes them as they are confirmed. */
  sentRetentionMs?: number;
  cleanupIntervalMs?: number;
}

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
  private readonly publishTimeoutMs: number;
  private readonly sentRetentionMs: number;
  private readonly refusalPolicy: RefusalPolicy;
  private readonly pacer: RelayPacer;
  private readonly cleanup: SentRowCleanup;

  private running = false;
  /** Whether the last batch failed because the broker blocks publishing. */
  private brokerBlocked = false;
  private loop: Promise<void> | undefined;
  private unlisten: (() => Promise<void>) | undefined;
  private startup: Promise<void> | undefined;

  constructor(options: OutboxRelayOptions) {
    this.db = options.db;
    this.sql = options.sql;
    this.sink = options.sink;
    this.logger = options.logger;
    this.batchSize = positive(options.batchSize ?? 500, 'batchSize');
    this.pollIntervalMs = positive(options.pollIntervalMs ?? 1_000, 'pollIntervalMs');
    const lingerMs = options.lingerMs ?? 100;
    if (!(lingerMs >= 0)) throw new RangeError('lingerMs must be 0 or more');
    this.publishTimeoutMs = positive(options.publishTimeoutMs ?? 30_000, 'publishTimeoutMs');
    this.sentRetentionMs = options.sentRetentionMs ?? 24 * 60 * 60 * 1000;
    if (!(this.sentRetentionMs >= 0)) throw new RangeError('sentRetentionMs must be 0 or more');
    const minRetryDelayMs = positive(options.minRetryDelayMs ?? 200, 'minRetryDelayMs');
    const maxRetryDelayMs = positive(options.maxRetryDelayMs ?? 30_000, 'maxRetryDelayMs');
    this.refusalPolicy = { maxRefusals: positive(options.maxRefusals ?? 10, 'maxRefusals'), minRetryDelayMs, maxRetryDelayMs };
    this.pacer = new RelayPacer({
      pollIntervalMs: this.pollIntervalMs,
      lingerMs,
      lingerPollIntervalMs: positive(options.lingerPollIntervalMs ?? 5, 'lingerPollIntervalMs'),
      minRetryDelayMs,
      maxRetryDelayMs,
    });
    this.cleanup = new SentRowCleanup(this.db, this.logger, this.sentRetentionMs, positive(options.cleanupIntervalMs ?? 60_000, 'cleanupIntervalMs'));
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
      const listening = await this.sql.listen(outboxChannel, () => this.pacer.wake(), () => this.pacer.wake());
      this.unlisten = () => listening.unlisten();
    }
    this.running = true;
    this.loop = this.run();
    if (this.sentRetentionMs > 0) this.cleanup.start();
    this.logger.info({ batchSize: this.batchSize, pollIntervalMs: this.pollIntervalMs, listening: Boolean(this.sql) }, 'outbox relay started');
  }

  /**
   * Finishes the batch in flight, then stops; the rows it did not reach stay for the next relay. Takes
   * at most `timeoutMs` (default 10 s) and never rejects: a batch still waiting for the broker then is
   * left behind (its rows stay unsent, its transaction ends with the pool, and they are published again).
   */
  async stop(options: { timeoutMs?: number } = {}): Promise<void> {
    await this.startup?.catch(() => {});
    if (!this.running) return;
    this.running = false;
    this.pacer.cancel();
    const timeoutMs = options.timeoutMs ?? 10_000;
    const finishing = (async () => {
      await this.loop;
      await this.cleanup.stop();
      await this.unlisten?.().catch((error: unknown) => this.logger.warn({ err: describeError(error) }, 'outbox relay could not unlisten'));
    })();
    try {
      await withDeadline(finishing, timeoutMs, 'the batch in flight');
      this.logger.info({}, 'outbox relay stopped');
    } catch (error) {
      this.logger.warn({ err: describeError(error) }, 'outbox relay stopped with a batch still in flight; its rows stay unsent and go out again later');
    }
    this.loop = undefined;
    this.unlisten = undefined;
    this.startup = undefined;
  }

  /** Deletes sent rows past the retention (what the cleanup timer runs); returns how many. */
  deleteExpiredSentRows(): Promise<number> {
    return this.cleanup.deleteExpired();
  }

  private async run(): Promise<void> {
    let previous: BatchOutcome = 'idle';
    while (this.running) {
      this.pacer.beginLook();
      this.brokerBlocked = false;
      // After an empty look, a cheap peek decides whether a batch transaction is worth opening.
      const outcome: BatchOutcome = previous === 'idle' && !(await anythingPending(this.db)) ? 'idle' : await this.relayBatch();
      previous = outcome;
      if (!this.running) return;
      // While the broker blocks publishing, the relay waits for the block to lift rather than retrying blind.
      await this.pacer.after(outcome, this.brokerBlocked ? this.sink.whenPublishable?.() : undefined);
    }
  }

  private async relayBatch(): Promise<BatchOutcome> {
    try {
      const outcome = await this.db.transaction((tx) => this.relayBatchIn(tx));
      if (outcome !== 'failed') this.pacer.recordSuccess();
      return outcome;
    } catch (error) {
      const consecutiveFailures = this.pacer.recordFailure();
      this.logger.error({ err: error, consecutiveFailures }, 'outbox relay batch failed');
      return 'failed';
    }
  }

  private async relayBatchIn(tx: Transaction): Promise<BatchOutcome> {
    const rows = await lockAndReadPending(tx, this.batchSize, this.publishTimeoutMs + 10_000);
    if (rows === null) return 'standby';
    if (rows.length === 0) return 'idle';

    const failures = await publishBatch(this.sink, rows, this.publishTimeoutMs);
    const confirmed = rows.filter((row) => !failures.has(row.position)).map((row) => row.position);
    if (confirmed.length > 0) await markSent(tx, confirmed, this.sentRetentionMs === 0);
    const flowing: BatchOutcome = rows.length === this.batchSize ? 'more' : 'drained';
    if (failures.size === 0) return flowing;

    const parked = await recordFailures(tx, failures, this.refusalPolicy);
    const refused = [...failures].filter(([, failure]) => failure.refused);
    if (refused.length > 0) {
      const [position, { reason }] = refused[0]!;
      this.logger.warn({ refused: refused.length, position, reason }, 'events refused by the broker; each row is retried on its own schedule while the others go on');
    }
    if (parked.length > 0) {
      this.logger.error({ positions: parked, maxRefusals: this.refusalPolicy.maxRefusals }, 'outbox rows parked after too many refusals: an operator must look at them (listParkedRows)');
    }
    const brokerFailures = [...failures].filter(([, failure]) => !failure.refused);
    // Refusals are the events' own: the others flow on at full speed.
    if (brokerFailures.length === 0) return flowing;

    const consecutiveFailures = this.pacer.recordFailure();
    const [position, { reason }] = brokerFailures[0]!;
    this.brokerBlocked = brokerFailures.some(([, failure]) => failure.blocked);
    this.logger.error(
      { failed: brokerFailures.length, confirmed: confirmed.length, position, reason, consecutiveFailures, brokerBlocked: this.brokerBlocked },
      'outbox relay could not publish every event; retrying',
    );
    return 'failed';
  }
}

function positive(value: number, name: string): number {
  if (!Number.isFinite(value) || value <= 0) throw new RangeError(`${name} must be a positive number`);
  return value;
}
