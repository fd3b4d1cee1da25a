import { describeError, type Logger } from '@trendcast/core';
import type { ChannelModel } from 'amqplib';
import { isPreconditionFailed } from './broker-errors.js';
import { producerExchangeArguments, unroutedExchangeName, unroutedQueueName } from './topology.js';

/** How a producer exchange treats events no queue is bound for. */
export type UnroutedHandling =
  /** Its alternate exchange parks them in `<exchange>.unrouted`; the broker confirms them. */
  | 'parked'
  /** An exchange declared before unrouted queues existed: mandatory publishes come back (basic.return). */
  | 'returned';

/**
 * Declares a producer exchange with its unrouted exchange and queue, on a channel of its own (a refused
 * declaration closes the channel it happens on). An exchange that already exists without an alternate
 * exchange (406: declared before unrouted parking) is used as it is, with a warning: publishers still
 * lose nothing, because they publish `mandatory` and a returned event counts as not published (the
 * outbox keeps it). migrateProducerExchange() gives it its alternate exchange.
 */
export async function ensureProducerExchange(connection: ChannelModel, exchange: string, logger: Logger): Promise<UnroutedHandling> {
  // The exchange first: an old one is then left as it is, with nothing declared beside it. Until its
  // alternate exchange exists a moment later, an unrouted event is returned (publishes are mandatory).
  try {
    await onOwnChannel(connection, (channel) => channel.assertExchange(exchange, 'topic', { durable: true, arguments: producerExchangeArguments(exchange) }));
  } catch (error) {
    if (!isPreconditionFailed(error)) throw error;
    await onOwnChannel(connection, (channel) => channel.checkExchange(exchange));
    logger.warn(
      { exchange, err: describeError(error) },
      'producer exchange predates its unrouted queue: events no queue is bound for are returned to the publisher until migrateProducerExchange() runs',
    );
    return 'returned';
  }
  await onOwnChannel(connection, async (channel) => {
    const unrouted = unroutedExchangeName(exchange);
    await channel.assertExchange(unrouted, 'fanout', { durable: true });
    await channel.assertQueue(unroutedQueueName(exchange), { durable: true });
    await channel.bindQueue(unroutedQueueName(exchange), unrouted, '');
  });
  return 'parked';
}

async function onOwnChannel<T>(connection: ChannelModel, work: (channel: Awaited<ReturnType<ChannelModel['createChannel']>>) => Promise<T>): Promise<T> {
  const channel = await connection.createChannel();
  // A refusal closes the channel and rejects the call that caused it; the event itself must not crash us.
  channel.on('error', () => {});
  try {
    return await work(channel);
  } finally {
    await channel.close().catch(() => {});
  }
}
