import { producerOf } from '@trendcast/events';
import type { Channel } from 'amqplib';

/** Retries after 1 s, 5 s, 30 s and 2 min; the fifth failure dead-letters the message. */
export const defaultRetryDelaysMs: readonly number[] = [1_000, 5_000, 30_000, 120_000];
export const defaultMaxAttempts = 5;

/**
 * An optional prefix for every exchange and queue name, to run isolated copies of the
 * topology on one virtual host (tests, previews). Empty in production.
 */
function withNamespace(name: string, namespace: string | undefined): string {
  return namespace ? `${namespace}.${name}` : name;
}

/** One durable topic exchange per producing service: `users.events`. */
export function producerExchangeName(producer: string, namespace?: string): string {
  return withNamespace(`${producer}.events`, namespace);
}

/** The exchange an event of `type` is published to. */
export function exchangeForType(type: string, namespace?: string): string {
  return producerExchangeName(producerOf(type), namespace);
}

/** One durable queue per (consuming service, producer): `notifier.users-events`. */
export function consumerQueueName(service: string, producer: string, namespace?: string): string {
  return withNamespace(`${service}.${producer}-events`, namespace);
}

/** Where a consumer queue's poison and exhausted messages wait for an operator. */
export function deadLetterQueueName(queue: string): string {
  return `${queue}.dead-letter`;
}

/** A delay queue: messages sit `delayMs` there, then expire back into `queue`. */
export function retryQueueName(queue: string, delayMs: number): string {
  return `${queue}.retry.${delayMs}ms`;
}

/** The delay before attempt `nextAttempt` (2, 3, …); the last delay repeats when attempts outnumber delays. */
export function retryDelayFor(nextAttempt: number, delaysMs: readonly number[]): number {
  const delay = delaysMs[Math.min(nextAttempt - 2, delaysMs.length - 1)];
  if (delay === undefined) throw new Error('retryDelaysMs must hold at least one delay');
  return delay;
}

/** Every queue that belongs to one consumer queue, e.g. to delete them all in a test's cleanup. */
export function consumerTopologyQueues(queue: string, retryDelaysMs: readonly number[]): string[] {
  return [queue, ...[...new Set(retryDelaysMs)].map((delay) => retryQueueName(queue, delay)), deadLetterQueueName(queue)];
}

export async function assertProducerExchange(channel: Channel, exchange: string): Promise<void> {
  await channel.assertExchange(exchange, 'topic', { durable: true });
}

export interface ConsumerQueueTopology {
  exchange: string;
  queue: string;
  routingKeys: readonly string[];
  retryDelaysMs: readonly number[];
}

/**
 * exchange ──(routing key = event type)──▶ queue
 * queue ──(handler threw: republished with attempt + 1)──▶ queue.retry.<delay>ms ──(TTL expires)──▶ queue
 * queue ──(unparseable, or attempts exhausted)──▶ queue.dead-letter
 * Every queue is durable and classic, which works on RabbitMQ 3.10 without plugins.
 */
export async function assertConsumerTopology(channel: Channel, topology: ConsumerQueueTopology): Promise<void> {
  const { exchange, queue, routingKeys, retryDelaysMs } = topology;
  await assertProducerExchange(channel, exchange);
  await channel.assertQueue(queue, { durable: true });
  for (const routingKey of routingKeys) await channel.bindQueue(queue, exchange, routingKey);
  for (const delayMs of new Set(retryDelaysMs)) {
    await channel.assertQueue(retryQueueName(queue, delayMs), {
      durable: true,
      arguments: {
        'x-message-ttl': delayMs,
        // The default exchange routes by queue name, so an expired message goes straight home.
        'x-dead-letter-exchange': '',
        'x-dead-letter-routing-key': queue,
      },
    });
  }
  await channel.assertQueue(deadLetterQueueName(queue), { durable: true });
}
