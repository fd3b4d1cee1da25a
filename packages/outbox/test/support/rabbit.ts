import { decodeEvent, encodeEvent, type DomainEvent } from '@trendcast/events';
import { testEnv } from '@trendcast/testing';
import amqp from 'amqplib';
import type { EventSink } from '../../src/index.js';

/**
 * A minimal confirm-channel publisher onto one test exchange (so the test's events reach no other
 * suite's queues): resolves each publish on the broker's confirm, rejects on a nack.
 */
export class ConfirmingSink implements EventSink {
  published = 0;

  private constructor(
    private readonly connection: amqp.ChannelModel,
    private readonly channel: amqp.ConfirmChannel,
    private readonly exchange: string,
  ) {}

  static async open(exchange: string, url = testEnv.rabbitUrl): Promise<ConfirmingSink> {
    const connection = await amqp.connect(url, { noDelay: true });
    connection.on('error', () => {});
    const channel = await connection.createConfirmChannel();
    channel.on('error', () => {});
    await channel.assertExchange(exchange, 'topic', { durable: false });
    return new ConfirmingSink(connection, channel, exchange);
  }

  publish(event: DomainEvent): Promise<void> {
    return new Promise((resolve, reject) => {
      this.channel.publish(
        this.exchange,
        event.type,
        encodeEvent(event),
        { persistent: true, messageId: event.id, contentType: 'application/json' },
        (error) => {
          if (error) reject(error instanceof Error ? error : new Error('broker nacked the event'));
          else {
            this.published += 1;
            resolve();
          }
        },
      );
    });
  }

  async close(): Promise<void> {
    await this.connection.close().catch(() => {});
  }
}

/** A temporary queue bound to every routing key of `exchange`, keeping what arrives in arrival order. */
export async function collectFrom(
  exchange: string,
  onEvent?: (event: DomainEvent) => Promise<void>,
): Promise<{ received: DomainEvent[]; close(): Promise<void> }> {
  const connection = await amqp.connect(testEnv.rabbitUrl, { noDelay: true });
  connection.on('error', () => {});
  const channel = await connection.createChannel();
  await channel.assertExchange(exchange, 'topic', { durable: false });
  const { queue } = await channel.assertQueue('', { exclusive: true, autoDelete: true });
  await channel.bindQueue(queue, exchange, '#');
  await channel.prefetch(500);
  const received: DomainEvent[] = [];
  await channel.consume(queue, (message) => {
    if (!message) return;
    const event = decodeEvent(message.content);
    received.push(event);
    void (onEvent ? onEvent(event) : Promise.resolve()).then(
      () => channel.ack(message),
      () => channel.nack(message, false, true),
    );
  });
  return {
    received,
    async close() {
      await connection.close().catch(() => {});
    },
  };
}

export async function deleteExchange(exchange: string): Promise<void> {
  const connection = await amqp.connect(testEnv.rabbitUrl);
  try {
    const channel = await connection.createChannel();
    await channel.deleteExchange(exchange);
  } finally {
    await connection.close();
  }
}
