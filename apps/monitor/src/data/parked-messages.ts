import { countParked, parkedQueueNames, peekParked, replayParked, type RabbitConnection } from '@trendcast/messaging';
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
  /** Sends the queue's messages (or the one with `messageId`) back where they came from; how many went. */
  replay(queue: string, o?: { messageId?: string }): Promise<number>;
}

export interface ParkedSystem {
  /** Services consuming events: each has a consumer queue (and its dead-letter queue) per producer. */
  consumers: readonly string[];
  producers: readonly string[];
  namespace?: string | undefined;
}

/**
 * The backbone's parked queues, through @trendcast/messaging's parked-message module: every
 * consumer's dead-letter queue (`<service>.<producer>-events.dead-letter`) and every producer's
 * unrouted queue (`<producer>.events.unrouted`, events published while no queue was bound for them).
 */
export function parkedMessagesOnBroker(rabbit: RabbitConnection, system: ParkedSystem): ParkedMessageSource {
  const names = parkedQueueNames({
    producers: system.producers,
    consumers: system.consumers.map((service) => ({ service, producers: system.producers })),
    ...(system.namespace ? { namespace: system.namespace } : {}),
  });
  return {
    queueNames: () => [...names],
    async count() {
      return (await countParked(rabbit, names)).map(({ queue, kind, messageCount }) => ({ queue, kind, messageCount }));
    },
    async peek(queue, limit) {
      return peekParked(rabbit, queue, { limit });
    },
    async replay(queue, o = {}) {
      return (await replayParked(rabbit, queue, o.messageId === undefined ? {} : { messageId: o.messageId })).replayed;
    },
  };
}
