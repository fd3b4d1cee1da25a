import { peekParked, replayParked, type ParkedMessage } from './parked-messages.js';
import type { RabbitConnection } from './rabbit-connection.js';
import { deadLetterQueueName } from './topology.js';

/** A message in a dead-letter queue (see parked-messages.ts for both kinds of parked queue). */
export type DeadLetter = Omit<ParkedMessage, 'kind'> & { kind?: ParkedMessage['kind'] };

export interface DeadLetterListing {
  /** The dead-letter queue that was read. */
  queue: string;
  /** Messages waiting in it. */
  count: number;
  /** The first `limit` of them, oldest first. */
  messages: DeadLetter[];
}

/** `notifier.users-events` and `notifier.users-events.dead-letter` both name the same dead-letter queue. */
export function resolveDeadLetterQueue(queue: string): string {
  return queue.endsWith('.dead-letter') ? queue : deadLetterQueueName(queue);
}

/** Lists dead letters without removing them (peekParked on the dead-letter queue). */
export async function inspectDeadLetters(connection: RabbitConnection, queue: string, options: { limit?: number } = {}): Promise<DeadLetterListing> {
  const { queue: deadLetterQueue, count, messages } = await peekParked(connection, resolveDeadLetterQueue(queue), options);
  return { queue: deadLetterQueue, count, messages };
}

/**
 * Moves up to `limit` dead letters (default: all waiting now) back into the queue they came from, as a
 * first attempt again. Each is removed from the dead-letter queue only after the broker confirmed its
 * copy. Returns how many were replayed.
 */
export async function replayDeadLetters(connection: RabbitConnection, queue: string, options: { limit?: number } = {}): Promise<{ queue: string; replayed: number }> {
  const { queue: deadLetterQueue, replayed } = await replayParked(connection, resolveDeadLetterQueue(queue), options);
  return { queue: deadLetterQueue, replayed };
}
