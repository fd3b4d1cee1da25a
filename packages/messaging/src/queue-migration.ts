import { describeError, silentLogger, type Logger } from '@trendcast/core';
import type { ConfirmChannel } from 'amqplib';
import { isNotFound, isPreconditionFailed } from './broker-errors.js';
import { sendToQueueConfirmed } from './confirm.js';
import { republishOptions } from './message-properties.js';
import { ensureProducerExchange } from './producer-exchange.js';
import type { RabbitConnection } from './rabbit-connection.js';
import {
  assertConsumerTopology,
  consumerQueueArguments,
  defaultDeliveryLimit,
  retryQueueArguments,
  retryQueueName,
  type ConsumerQueueTopology,
} from './topology.js';
import { withChannel } from './with-channel.js';

export interface QueueMigration {
  queue: string;
  outcome: 'already-current' | 'migrated';
  /** Messages moved through holding queues (each counted once per move). */
  movedMessages: number;
}

export interface QueueMigrationOptions {
  logger?: Logger;
  /** Delays of earlier configurations whose delay queues may still hold messages. */
  extraRetryDelaysMs?: readonly number[];
}

/** A queue that keeps a queue's messages while it is declared again: `<queue>.migrating`. */
export function holdingQueueName(queue: string): string {
  return `${queue}.migrating`;
}

/** Another instance still consumes the queue being moved. */
export class QueueInUseError extends Error {
  override readonly name = 'QueueInUseError';
  constructor(
    readonly queue: string,
    readonly consumers: number,
  ) {
    super(`queue "${queue}" has ${consumers} consumer(s): stop the instances consuming it before moving it`);
  }
}

/**
 * Moves a consumer queue and its delay queues declared with other arguments (classic queues from before
 * quorum queues) to the declared topology without losing a message, while producers keep publishing.
 * A queue's type cannot change in place, so each moves through a classic holding queue:
 *
 * 1. `<queue>.migrating` is bound like the queue, then the queue is unbound: new events wait there.
 * 2. Each old delay queue's messages move into its own holding queue, and the delay queue is deleted
 *    (what expires meanwhile lands in the consumer queue, which still exists).
 * 3. The consumer queue's messages move into its holding queue; the queue is deleted once empty.
 * 4. The new topology is declared (quorum queues, bindings); the holding queue is unbound, its
 *    messages move into the new queue, the delayed ones into the new delay queues (their delay starts
 *    again), and the holding queues are deleted.
 *
 * Every move copies with a broker confirm before it acks, so a crash leaves each message in one queue
 * or two, never none; running it again resumes from the holding queues. An event published between
 * the new queue's binding and the holding queue's unbinding arrives twice (consumers are idempotent).
 * Refuses (QueueInUseError) while another instance consumes the queue.
 */
export async function migrateConsumerQueue(connection: RabbitConnection, topology: ConsumerQueueTopology, options: QueueMigrationOptions = {}): Promise<QueueMigration> {
  const logger = (options.logger ?? silentLogger).child({ component: 'queue-migration', queue: topology.queue });
  const queueType = topology.queueType ?? 'quorum';
  const deliveryLimit = topology.deliveryLimit ?? defaultDeliveryLimit;
  const { queue, exchange, routingKeys } = topology;
  const delays = [...new Set([...topology.retryDelaysMs, ...(options.extraRetryDelaysMs ?? [])])];
  const retryQueues = delays.map((delayMs) => ({ name: retryQueueName(queue, delayMs), args: retryQueueArguments(queue, delayMs, queueType) }));

  const queueIsOld = await declaredDifferently(connection, queue, consumerQueueArguments(queue, queueType, deliveryLimit));
  const oldRetryQueues = [];
  for (const retry of retryQueues) if (await declaredDifferently(connection, retry.name, retry.args)) oldRetryQueues.push(retry.name);
  const holdings = [queue, ...retryQueues.map((retry) => retry.name)].map(holdingQueueName);
  const leftOver = [];
  for (const holding of holdings) if (await queueExists(connection, holding)) leftOver.push(holding);
  if (!queueIsOld && oldRetryQueues.length === 0 && leftOver.length === 0) return { queue, outcome: 'already-current', movedMessages: 0 };

  let moved = 0;
  const holding = holdingQueueName(queue);
  // Only a consumer queue that changes (or a move of it interrupted before) needs its events held elsewhere.
  const movesConsumerQueue = queueIsOld || leftOver.includes(holding);
  const live = await connection.waitForConnection(10_000);
  await ensureProducerExchange(live, exchange, logger);
  if (queueIsOld) {
    const { consumerCount } = await withChannel(connection, (channel) => channel.checkQueue(queue));
    if (consumerCount > 0) throw new QueueInUseError(queue, consumerCount);
  }
  logger.info({ oldQueue: queueIsOld, oldRetryQueues, leftOver }, 'moving the queue to its declared topology');

  // 1. New events go to the holding queue from now on.
  if (movesConsumerQueue) {
    await withChannel(connection, async (channel) => {
      await channel.assertQueue(holding, { durable: true });
      for (const key of routingKeys) await channel.bindQueue(holding, exchange, key);
      if (queueIsOld) for (const key of routingKeys) await channel.unbindQueue(queue, exchange, key);
    });
  }
  // 2. Delayed messages wait in holding queues of their own while their delay queues are declared again.
  for (const name of oldRetryQueues) {
    await withChannel(connection, (channel) => channel.assertQueue(holdingQueueName(name), { durable: true }));
    moved += await drainAndDelete(connection, name, holdingQueueName(name));
  }
  // 3. The old consumer queue empties into the holding queue.
  if (queueIsOld) moved += await drainAndDelete(connection, queue, holding);
  // 4. The declared topology takes over, and receives everything held.
  await withChannel(connection, (channel) => assertConsumerTopology(channel, { ...topology, queueType, deliveryLimit }));
  if (movesConsumerQueue) {
    await withChannel(connection, async (channel) => {
      for (const key of routingKeys) await channel.unbindQueue(holding, exchange, key);
    });
    moved += await drainAndDelete(connection, holding, queue);
  }
  for (const retry of retryQueues) {
    if (await queueExists(connection, holdingQueueName(retry.name))) moved += await drainAndDelete(connection, holdingQueueName(retry.name), retry.name);
  }
  logger.info({ movedMessages: moved }, 'queue moved to its declared topology');
  return { queue, outcome: 'migrated', movedMessages: moved };
}

/** True when `queue` exists with other arguments (406 on declaring it as wanted); a missing queue is created as wanted. */
async function declaredDifferently(connection: RabbitConnection, queue: string, args: Record<string, unknown>): Promise<boolean> {
  try {
    await withChannel(connection, (channel) => channel.assertQueue(queue, { durable: true, arguments: args }));
    return false;
  } catch (error) {
    if (isPreconditionFailed(error)) return true;
    throw error;
  }
}

async function queueExists(connection: RabbitConnection, queue: string): Promise<boolean> {
  try {
    await withChannel(connection, (channel) => channel.checkQueue(queue));
    return true;
  } catch (error) {
    if (isNotFound(error)) return false;
    throw error;
  }
}

/** Moves every message of `from` into `to`, then deletes `from` once it is empty (moving again what arrived meanwhile). */
async function drainAndDelete(connection: RabbitConnection, from: string, to: string): Promise<number> {
  let moved = 0;
  for (let round = 0; ; round += 1) {
    moved += await moveAll(connection, from, to);
    try {
      await withChannel(connection, (channel) => channel.deleteQueue(from, { ifEmpty: true }));
      return moved;
    } catch (error) {
      // 406: not empty, something arrived after the last move.
      if (!isPreconditionFailed(error) || round >= 100) throw error;
    }
  }
}

/** Moves the messages of `from` into `to` in order, a window at a time: each is acked only once its copy is confirmed. */
export async function moveAll(connection: RabbitConnection, from: string, to: string, windowSize = 200): Promise<number> {
  return withChannel(connection, async (channel: ConfirmChannel) => {
    let moved = 0;
    for (;;) {
      const window = [];
      while (window.length < windowSize) {
        const message = await channel.get(from, { noAck: false });
        if (!message) break;
        window.push(message);
      }
      if (window.length === 0) return moved;
      try {
        await Promise.all(window.map((message) => sendToQueueConfirmed(channel, to, message.content, republishOptions(message.properties, {}))));
      } catch (error) {
        channel.nackAll(true);
        throw new Error(`moving messages from ${from} to ${to} failed: ${describeError(error).message}`, { cause: error });
      }
      for (const message of window) channel.ack(message);
      moved += window.length;
    }
  });
}
