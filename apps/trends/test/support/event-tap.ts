import { decodeEvent, type AnyDomainEvent } from '@trendcast/events';
import { assertProducerExchange } from '@trendcast/messaging';
import { testEnv, waitFor } from '@trendcast/testing';
import amqp, { type Channel, type ChannelModel } from 'amqplib';

/** A temporary queue bound to a real exchange, keeping what it receives. */
export interface EventTap {
  events: AnyDomainEvent[];
  waitFor<E extends AnyDomainEvent>(match: (event: AnyDomainEvent) => event is E, timeoutMs?: number): Promise<E>;
  waitFor(match: (event: AnyDomainEvent) => boolean, timeoutMs?: number): Promise<AnyDomainEvent>;
  close(): Promise<void>;
}

export async function tapExchange(exchange: string, routingKey = '#'): Promise<EventTap> {
  const connection: ChannelModel = await amqp.connect(testEnv.rabbitUrl, { noDelay: true });
  const channel: Channel = await connection.createChannel();
  await assertProducerExchange(channel, exchange);
  const { queue } = await channel.assertQueue('', { exclusive: true, autoDelete: true });
  await channel.bindQueue(queue, exchange, routingKey);
  const events: AnyDomainEvent[] = [];
  await channel.consume(
    queue,
    (message) => {
      if (!message) return;
      events.push(decodeEvent(message.content));
      channel.ack(message);
    },
    { noAck: false },
  );
  return {
    events,
    waitFor: (match: (event: AnyDomainEvent) => boolean, timeoutMs = 20_000) =>
      waitFor(() => events.find(match), { timeoutMs, what: `an event on ${exchange}` }),
    close: async () => {
      await channel.close().catch(() => undefined);
      await connection.close().catch(() => undefined);
    },
  } as EventTap;
}

/** Publishes one event the way a producer would (persistent, message id = event id). */
export async function publishEvent(exchange: string, event: AnyDomainEvent): Promise<void> {
  const connection = await amqp.connect(testEnv.rabbitUrl);
  try {
    const channel = await connection.createConfirmChannel();
    await assertProducerExchange(channel, exchange);
    channel.publish(exchange, event.type, Buffer.from(JSON.stringify(event)), {
      persistent: true,
      messageId: event.id,
      contentType: 'application/json',
    });
    await channel.waitForConfirms();
  } finally {
    await connection.close();
  }
}
