import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { boardNameOf, metaKeyPattern, queueOfMetaKey, type QueueAddress } from '../domain/queue-keys.js';

/** A BullMQ queue the monitor watches, by the name it goes by on the board and in metrics. */
export interface MonitoredQueue {
  address: QueueAddress;
  boardName: string;
  queue: Queue;
}

export type JobCounts = Record<string, number>;

/** Every state a BullMQ job can be in, as getJobCounts names them. */
export const jobStates = ['waiting', 'active', 'delayed', 'prioritized', 'waiting-children', 'paused', 'completed', 'failed'] as const;

/**
 * The BullMQ queues in Redis under the configured prefixes, found by their meta keys, plus the
 * queues named explicitly. Queue handles share the monitor's one Redis connection.
 */
export class BullQueues {
  private readonly open = new Map<string, MonitoredQueue>();

  constructor(
    private readonly redis: Redis,
    private readonly o: { prefixes: readonly string[]; explicit: readonly string[] },
  ) {}

  private get primaryPrefix(): string {
    return this.o.prefixes[0]!;
  }

  /** Every queue that exists now (SCAN, never KEYS: Redis keeps serving while we look). */
  async discover(): Promise<QueueAddress[]> {
    const found = new Map<string, QueueAddress>();
    const add = (address: QueueAddress) => found.set(boardNameOf(address, this.primaryPrefix), address);
    for (const name of this.o.explicit) add({ prefix: this.primaryPrefix, name });
    for (const prefix of this.o.prefixes) {
      let cursor = '0';
      do {
        const [next, keys] = await this.redis.scan(cursor, 'MATCH', metaKeyPattern(prefix), 'COUNT', 1000);
        for (const key of keys) {
          const address = queueOfMetaKey(prefix, key);
          if (address) add(address);
        }
        cursor = next;
      } while (cursor !== '0');
    }
    return [...found.values()];
  }

  /** Opens handles for queues newly found and closes those of queues that are gone; true when the set changed. */
  async sync(addresses: readonly QueueAddress[]): Promise<boolean> {
    const wanted = new Map(addresses.map((address) => [boardNameOf(address, this.primaryPrefix), address]));
    let changed = false;
    for (const [boardName, monitored] of this.open) {
      if (wanted.has(boardName)) continue;
      this.open.delete(boardName);
      await monitored.queue.close();
      changed = true;
    }
    for (const [boardName, address] of wanted) {
      if (this.open.has(boardName)) continue;
      // The service owning the queue writes its meta (version, event stream length); the monitor only reads.
      const queue = new Queue(address.name, { connection: this.redis, prefix: address.prefix, skipMetasUpdate: true });
      this.open.set(boardName, { address, boardName, queue });
      changed = true;
    }
    return changed;
  }

  list(): MonitoredQueue[] {
    return [...this.open.values()].sort((a, b) => a.boardName.localeCompare(b.boardName));
  }

  async jobCounts(monitored: MonitoredQueue): Promise<JobCounts> {
    return monitored.queue.getJobCounts(...jobStates);
  }

  async close(): Promise<void> {
    const queues = [...this.open.values()];
    this.open.clear();
    await Promise.all(queues.map((monitored) => monitored.queue.close()));
  }
}
