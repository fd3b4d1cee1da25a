import { consumerQueueName, deadLetterQueueName, inspectDeadLetters, queueStats, replayDeadLetters, type RabbitConnection } from '@trendcast/messaging';
import type { ParkedListing, ParkedQueue } from '../domain/parked.js';

/**
 * Where parked messages are counted, read and replayed. The one place the monitor touches the
 * broker's parked queues: everything else sees this interface.
 */
export interface ParkedMessageSource {
  /** Every parked queue the system may have (those that do not exist are left out of `count`). */
  queueNames(): string[];
  count(): Promise<ParkedQueue[]>;
  /** The first `limit` messages, oldest first; they stay where they are. */
  peek(queue: string, limit: number): Promise<ParkedListing>;
  /** Whether `replay` can pick one message by its id. */
  readonly replaysOne: boolean;
  /** Sends the queue's messages (or the one with `messageId`) back where they came from; how many went. */
  replay(queue: string, o?: { messageId?: string }): Promise<number>;
}

export interface ParkedSystem {
  /** Services consuming events: each has a consumer queue (and its dead-letter queue) per producer. */
  consumers: readonly string[];
  producers: readonly string[];
  namespace?: string | undefined;
}

const isNotFound = (error: unknown) => (error as { code?: unknown } | null)?.code === 404;

/** Dead-letter queues on the broker, through @trendcast/messaging's listing and replay. */
export function parkedMessagesOnBroker(rabbit: RabbitConnection, system: ParkedSystem): ParkedMessageSource {
  const names = system.consumers.flatMap((service) =>
    system.producers.map((producer) => deadLetterQueueName(consumerQueueName(service, producer, system.namespace))),
  );
  return {
    queueNames: () => [...names],
    replaysOne: false,
    async count() {
      const counts: ParkedQueue[] = [];
      for (const queue of names) {
        try {
          const { messageCount } = await queueStats(rabbit, queue);
          counts.push({ queue, kind: 'dead-letter', messageCount });
        } catch (error) {
          if (!isNotFound(error)) throw error;
        }
      }
      return counts;
    },
    async peek(queue, limit) {
      const listing = await inspectDeadLetters(rabbit, queue, { limit });
      return { ...listing, kind: 'dead-letter' };
    },
    async replay(queue) {
      return (await replayDeadLetters(rabbit, queue)).replayed;
    },
  };
}
