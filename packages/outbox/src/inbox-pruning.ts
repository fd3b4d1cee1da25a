import { describeError } from '@trendcast/core';
import { getTableName } from 'drizzle-orm';
import { driverOf } from './driver.js';
import { inboxMessages } from './schema.js';
import type { Database, DbExecutor, OutboxLogger } from './types.js';

const table = getTableName(inboxMessages);
/** A chunk at a time, through the handled_at index, so no statement holds many locks or runs long. */
const pruneChunk = `delete from ${table} where ctid = any(array(
  select ctid from ${table} where handled_at < now() - $1::float8 * interval '1 millisecond' limit $2))`;

/**
 * Forgets inbox rows older than `olderThanMs`. Keep them longer than any event can still be
 * redelivered (retries, dead-letter replays); a forgotten id would be handled again.
 */
export async function pruneInbox(db: DbExecutor, { olderThanMs, chunkSize = 5_000 }: { olderThanMs: number; chunkSize?: number }): Promise<number> {
  const driver = driverOf(db);
  if (!driver) throw new Error('pruneInbox needs a drizzle-orm/postgres-js database');
  let total = 0;
  for (;;) {
    const result = await driver.unsafe(pruneChunk, [olderThanMs, chunkSize], { prepare: true });
    total += result.count;
    if (result.count < chunkSize) return total;
  }
}

export interface InboxPrunerOptions {
  db: Database;
  logger: OutboxLogger;
  /** How long handled ids are kept. */
  retentionMs: number;
  /**
   * The longest time an event may still come back after it was handled: its consumer's retry path
   * (EventConsumer.longestRetryPathMs()) at least. The pruner refuses a shorter retention. Dead letters
   * replayed later than the retention are handled again, so keep it longer than they are kept too.
   */
  longestRedeliveryMs: number;
  /** How often to prune. Default 1 h. */
  intervalMs?: number;
}

/** Prunes a consuming service's inbox on a timer: start() after the service starts, stop() at shutdown. */
export class InboxPruner {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;
  private readonly intervalMs: number;

  /**
   * The pruner of a service's event consumer: handled ids kept `retentionDays` (the kit's
   * INBOX_RETENTION_DAYS), which must outlast the consumer's longest retry path.
   */
  static forConsumer(
    consumer: { longestRetryPathMs(): number },
    o: { db: Database; logger: OutboxLogger; retentionDays: number; intervalMs?: number },
  ): InboxPruner {
    return new InboxPruner({
      db: o.db,
      logger: o.logger,
      retentionMs: o.retentionDays * 24 * 60 * 60_000,
      longestRedeliveryMs: consumer.longestRetryPathMs(),
      ...(o.intervalMs === undefined ? {} : { intervalMs: o.intervalMs }),
    });
  }

  constructor(private readonly options: InboxPrunerOptions) {
    this.intervalMs = options.intervalMs ?? 60 * 60_000;
    if (!(options.retentionMs > options.longestRedeliveryMs)) {
      throw new RangeError(
        `inbox retention (${options.retentionMs} ms) must be longer than the longest redelivery (${options.longestRedeliveryMs} ms), or redelivered events would be handled twice`,
      );
    }
    if (!(this.intervalMs > 0)) throw new RangeError('intervalMs must be positive');
  }

  /** Prunes now, then every intervalMs. */
  start(): void {
    if (this.timer) return;
    const tick = () => {
      this.running = this.pruneNow().catch((error: unknown) => this.options.logger.warn({ err: describeError(error) }, 'inbox pruning failed; trying again at the next interval'));
    };
    this.timer = setInterval(tick, this.intervalMs);
    this.timer.unref();
    tick();
  }

  /** Deletes handled ids past the retention; returns how many. */
  async pruneNow(): Promise<number> {
    const deleted = await pruneInbox(this.options.db, { olderThanMs: this.options.retentionMs });
    if (deleted > 0) this.options.logger.info({ deleted, retentionMs: this.options.retentionMs }, 'inbox pruned');
    return deleted;
  }

  /** Stops the timer and waits (up to `timeoutMs`, default 5 s) for a pruning in progress; never rejects. */
  async stop(options: { timeoutMs?: number } = {}): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    const running = this.running;
    if (!running) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([running, new Promise((resolve) => (timer = setTimeout(resolve, options.timeoutMs ?? 5_000)))]);
    clearTimeout(timer);
  }
}
