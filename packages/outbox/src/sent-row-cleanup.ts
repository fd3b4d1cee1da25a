import { describeError } from '@trendcast/core';
import { sql as dsql } from 'drizzle-orm';
import { outboxMessages } from './schema.js';
import type { Database, OutboxLogger } from './types.js';

const cleanupChunk = 5_000;

/**
 * Deletes sent rows once they are older than the retention, every `intervalMs`, a chunk at a time so
 * no statement holds many locks; the partial index keeps the relay's scan independent of how many
 * sent rows are kept meanwhile.
 */
export class SentRowCleanup {
  private timer: NodeJS.Timeout | undefined;
  private run: Promise<void> | undefined;
  private running = false;

  constructor(
    private readonly db: Database,
    private readonly logger: OutboxLogger,
    private readonly retentionMs: number,
    private readonly intervalMs: number,
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedule();
  }

  /** Stops the timer and waits for a cleanup in progress. */
  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.timer);
    await this.run;
  }

  /** Deletes sent rows past the retention; returns how many. */
  async deleteExpired(): Promise<number> {
    let total = 0;
    for (;;) {
      const result = await this.db.execute(dsql`
        delete from ${outboxMessages} where ${outboxMessages.position} in (
          select ${outboxMessages.position} from ${outboxMessages}
          where ${outboxMessages.sentAt} < now() - ${this.retentionMs} * interval '1 millisecond'
          order by ${outboxMessages.position} limit ${cleanupChunk})`);
      total += result.count;
      if (result.count < cleanupChunk) break;
    }
    if (total > 0) this.logger.debug({ deleted: total }, 'outbox cleanup deleted sent rows');
    return total;
  }

  private schedule(): void {
    this.timer = setTimeout(() => {
      this.run = this.deleteExpired()
        .then(() => undefined)
        .catch((error: unknown) => this.logger.warn({ err: describeError(error) }, 'outbox cleanup failed'))
        .finally(() => {
          this.run = undefined;
          if (this.running) this.schedule();
        });
    }, this.intervalMs);
  }
}
