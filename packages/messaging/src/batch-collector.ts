import type { DomainEvent, EventType } from '@trendcast/events';
import type { ConfirmChannel, ConsumeMessage } from 'amqplib';
import type { ConsumerQueue, MessageOrigin } from './handler-types.js';

/** A decoded delivery waiting for, or part of, a batch handler call. */
export interface BatchItem {
  queue: ConsumerQueue;
  message: ConsumeMessage;
  event: DomainEvent;
  attempt: number;
  origin: MessageOrigin;
}

/** Runs one gathered batch; resolves once every item of it is acked, retried or dead-lettered. */
export type RunBatch = (channel: ConfirmChannel, type: EventType, items: BatchItem[]) => Promise<void>;

/** Deliveries of one type from one channel, collected until the end of the current I/O turn or maxSize. */
interface PendingBatch {
  type: EventType;
  channel: ConfirmChannel;
  maxSize: number;
  items: BatchItem[];
  flushed: boolean;
  /** Settles once every item of the batch is settled. */
  settled: Promise<void>;
  start: (run: Promise<void>) => void;
}

/**
 * Gathers the deliveries of a type that arrive together (in one read from the socket, so before the
 * next turn of the event loop), up to `maxSize`, into one batch handler call.
 */
export class BatchCollector {
  private readonly batches = new Map<EventType, PendingBatch>();

  constructor(private readonly run: RunBatch) {}

  /** Resolves once the item is settled, like a single handler's delivery. */
  add(channel: ConfirmChannel, maxSize: number, item: BatchItem): Promise<void> {
    const type = item.event.type;
    let batch = this.batches.get(type);
    // Acks go to the channel a message came from, so a batch never spans two channels.
    if (batch && batch.channel !== channel) {
      this.flush(batch);
      batch = undefined;
    }
    if (!batch) {
      let start!: (run: Promise<void>) => void;
      const settled = new Promise<void>((resolve) => (start = resolve));
      const created: PendingBatch = { type, channel, maxSize, items: [], flushed: false, settled, start };
      this.batches.set(type, created);
      // Every delivery of the current socket read arrives before this runs, so they share the batch.
      setImmediate(() => this.flush(created));
      batch = created;
    }
    batch.items.push(item);
    if (batch.items.length >= batch.maxSize) this.flush(batch);
    return batch.settled;
  }

  private flush(batch: PendingBatch): void {
    if (batch.flushed) return;
    batch.flushed = true;
    if (this.batches.get(batch.type) === batch) this.batches.delete(batch.type);
    batch.start(this.run(batch.channel, batch.type, batch.items));
  }
}
