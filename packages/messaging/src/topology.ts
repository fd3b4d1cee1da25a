import { producerOf } from '@trendcast/events';
import type { Channel } from 'amqplib';
import { asTopologyConflict } from './broker-errors.js';

/** Retries after 1 s, 5 s, 30 s and 2 min; the fifth failure dead-letters the message. */
export const defaultRetryDelaysMs: readonly number[] = [1_000, 5_000, 30_000, 120_000];
export const defaultMaxAttempts = 5;
/**
 * Deliveries of one attempt that may end without an outcome (the process died, the connection or
 * channel was lost, a copy could not be made) before the broker dead-letters the message itself.
 * x-delivery-limit N allows N + 1 deliveries.
 */
export const defaultDeliveryLimit = 5;

/**
 * quorum: replicated, counts deliveries, dead-letters at least once (RabbitMQ 3.10+); the default.
 * classic: no delivery count (a message that kills its consumer is redelivered for ever); kept for
 * measurements and for brokers older than 3.10.
 */
export type QueueType = 'quorum' | 'classic';

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

/** The alternate exchange of a producer exchange: it receives every event no queue is bound for. */
export function unroutedExchangeName(exchange: string): string {
  return `${exchange}.unrouted`;
}

/** Where a producer's events that no queue was bound for wait for an operator (`users.events.unrouted`). */
export function unroutedQueueName(exchange: string): string {
  return `${exchange}.unrouted`;
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

/** The arguments a producer exchange is declared with: its alternate exchange parks what no queue takes. */
export function producerExchangeArguments(exchange: string): Record<string, unknown> {
  return { 'alternate-exchange': unroutedExchangeName(exchange) };
}

/**
 * Quorum queues dead-letter at least once only with `x-overflow: reject-publish` (RabbitMQ 3.10+): a
 * message leaves the queue only once its dead-letter queue has confirmed it. Without these two
 * arguments the broker dead-letters at most once and may lose the message.
 */
const atLeastOnceDeadLettering = { 'x-dead-letter-strategy': 'at-least-once', 'x-overflow': 'reject-publish' } as const;

/** The arguments of a consumer queue; a quorum queue dead-letters what it delivered `deliveryLimit` + 1 times. */
export function consumerQueueArguments(queue: string, queueType: QueueType, deliveryLimit: number): Record<string, unknown> {
  if (queueType === 'classic') return {};
  return {
    'x-queue-type': 'quorum',
    'x-delivery-limit': deliveryLimit,
    'x-dead-letter-exchange': '',
    'x-dead-letter-routing-key': deadLetterQueueName(queue),
    ...atLeastOnceDeadLettering,
  };
}

/** A delay queue's arguments: messages expire after `delayMs` back into `queue` (by name, through the default exchange). */
export function retryQueueArguments(queue: string, delayMs: number, queueType: QueueType): Record<string, unknown> {
  const expiry = { 'x-message-ttl': delayMs, 'x-dead-letter-exchange': '', 'x-dead-letter-routing-key': queue };
  return queueType === 'classic' ? expiry : { 'x-queue-type': 'quorum', ...expiry, ...atLeastOnceDeadLettering };
}

/**
 * The producer exchange with its alternate exchange and unrouted queue:
 *   exchange (topic) ──(no queue bound for the routing key)──▶ exchange.unrouted (fanout) ──▶ exchange.unrouted (queue)
 * The unrouted queue is classic: operators read it with get-and-requeue, which a quorum queue would count
 * as deliveries.
 */
export async function assertProducerExchange(channel: Channel, exchange: string): Promise<void> {
  const unroutedExchange = unroutedExchangeName(exchange);
  const unroutedQueue = unroutedQueueName(exchange);
  await declare('exchange', unroutedExchange, () => channel.assertExchange(unroutedExchange, 'fanout', { durable: true }));
  await declare('queue', unroutedQueue, () => channel.assertQueue(unroutedQueue, { durable: true }));
  await channel.bindQueue(unroutedQueue, unroutedExchange, '');
  await declare('exchange', exchange, () => channel.assertExchange(exchange, 'topic', { durable: true, arguments: producerExchangeArguments(exchange) }));
}

export interface ConsumerQueueTopology {
  exchange: string;
  queue: string;
  routingKeys: readonly string[];
  retryDelaysMs: readonly number[];
  /** Default quorum. */
  queueType?: QueueType;
  /** Default defaultDeliveryLimit; quorum queues only. */
  deliveryLimit?: number;
}

/**
 * exchange ──(routing key = event type)──▶ queue
 * queue ──(handler threw: republished with attempt + 1)──▶ queue.retry.<delay>ms ──(TTL expires)──▶ queue
 * queue ──(unparseable, attempts exhausted, or delivered past the delivery limit)──▶ queue.dead-letter
 * The consumer queue and its delay queues are quorum queues (at-least-once dead-lettering); the
 * dead-letter queue is classic, for the same reason as the unrouted queue. The producer exchange is
 * declared here too, not asserted: its arguments belong to its producer (assertProducerExchange).
 */
export async function assertConsumerTopology(channel: Channel, topology: ConsumerQueueTopology): Promise<void> {
  const { exchange, queue, routingKeys, retryDelaysMs } = topology;
  const queueType = topology.queueType ?? 'quorum';
  const deliveryLimit = topology.deliveryLimit ?? defaultDeliveryLimit;
  await declare('queue', deadLetterQueueName(queue), () => channel.assertQueue(deadLetterQueueName(queue), { durable: true }));
  await declare('queue', queue, () => channel.assertQueue(queue, { durable: true, arguments: consumerQueueArguments(queue, queueType, deliveryLimit) }));
  for (const routingKey of routingKeys) await channel.bindQueue(queue, exchange, routingKey);
  for (const delayMs of new Set(retryDelaysMs)) {
    const name = retryQueueName(queue, delayMs);
    await declare('queue', name, () => channel.assertQueue(name, { durable: true, arguments: retryQueueArguments(queue, delayMs, queueType) }));
  }
}

/** Runs one declaration; a 406 becomes a TopologyConflictError naming what was declared. */
async function declare(kind: 'queue' | 'exchange', name: string, run: () => Promise<unknown>): Promise<void> {
  try {
    await run();
  } catch (error) {
    throw asTopologyConflict(error, kind, name);
  }
}
