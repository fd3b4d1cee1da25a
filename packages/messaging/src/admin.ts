import type { RabbitConnection } from './rabbit-connection.js';
import { unroutedExchangeName, unroutedQueueName } from './topology.js';
import { withChannel } from './with-channel.js';

/** Deletes queues (missing ones are fine): cleanup for tests and decommissioned consumers. */
export async function deleteQueues(connection: RabbitConnection, queues: readonly string[]): Promise<void> {
  await withChannel(connection, async (channel) => {
    for (const queue of queues) await channel.deleteQueue(queue);
  });
}

/**
 * Deletes exchanges (missing ones are fine), each with its unrouted exchange and queue (the events
 * parked there go too): cleanup for tests and decommissioned producers.
 */
export async function deleteExchanges(connection: RabbitConnection, exchanges: readonly string[]): Promise<void> {
  await withChannel(connection, async (channel) => {
    for (const exchange of exchanges) {
      await channel.deleteExchange(exchange);
      await channel.deleteExchange(unroutedExchangeName(exchange));
      await channel.deleteQueue(unroutedQueueName(exchange));
    }
  });
}

/** Removes every ready message from a queue; returns how many were removed. */
export async function purgeQueue(connection: RabbitConnection, queue: string): Promise<number> {
  return withChannel(connection, async (channel) => (await channel.purgeQueue(queue)).messageCount);
}

/** Ready messages and consumers of an existing queue (rejects when the queue does not exist). */
export async function queueStats(connection: RabbitConnection, queue: string): Promise<{ messageCount: number; consumerCount: number }> {
  return withChannel(connection, async (channel) => {
    const { messageCount, consumerCount } = await channel.checkQueue(queue);
    return { messageCount, consumerCount };
  });
}
