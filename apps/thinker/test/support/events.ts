import { decodeEvent, type AnyDomainEvent } from '@trendcast/events';
import { assertProducerExchange } from '@trendcast/messaging';
import { testEnv, waitFor } from '@trendcast/testing';
import amqp from 'amqplib';

/** What a test queue bound to a real exchange has received, and a way to wait for one event. */
export interface CaughtEvents {
  all: AnyDomainEvent[];
  ofType(type: string): AnyDomainEvent[];
  next(match: (event: AnyDomainEvent) => boolean, what: string, timeoutMs?: number): Promise<AnyDomainEvent>;
  close(): Promise<void>;
}

/** Binds an exclusive queue to `exchange` and keeps every event routed to it. */
export async function catchEvents(exchange: string, routingKey = '#'): Promise<CaughtEvents> {
  const connection = await amqp.connect(testEnv.rabbitUrl, { noDelay: true });
  const channel = await connection.createChannel();
  await assertProducerExchange(channel, exchange);
  const { queue } = await channel.assertQueue('', { exclusive: true, autoDelete: true });
  await channel.bindQueue(queue, exchange, routingKey);
  const all: AnyDomainEvent[] = [];
  await channel.consume(queue, (message) => {
    if (!message) return;
    all.push(decodeEvent(message.content));
    channel.ack(message);
  });
  return {
    all,
    ofType: (type) => all.filter((event) => event.type === type),
    next: (match, what, timeoutMs = 20_000) => waitFor(() => all.find(match), { timeoutMs, what }),
    close: async () => {
      await channel.close().catch(() => undefined);
      await connection.close().catch(() => undefined);
    },
  };
}

/** Publishes one event as its producer would (persistent, confirmed, message id = event id). */
export async function sendEvent(exchange: string, event: AnyDomainEvent): Promise<void> {
  const connection = await amqp.connect(testEnv.rabbitUrl);
  try {
    const channel = await connection.createConfirmChannel();
    await assertProducerExchange(channel, exchange);
    channel.publish(exchange, event.type, Buffer.from(JSON.stringify(event)), { persistent: true, messageId: event.id, contentType: 'application/json' });
    await channel.waitForConfirms();
  } finally {
    await connection.close();
  }
}
