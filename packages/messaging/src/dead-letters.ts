import type { GetMessage } from 'amqplib';
import { sendToQueueConfirmed } from './confirm.js';
import { headerNumber, headerString, messageHeaders, republishOptions } from './message-properties.js';
import type { RabbitConnection } from './rabbit-connection.js';
import { deadLetterQueueName } from './topology.js';
import { withChannel } from './with-channel.js';

export interface DeadLetter {
  messageId?: string;
  type?: string;
  correlationId?: string;
  /** 'unparseable' or 'max-attempts'. */
  reason?: string;
  /** The handler's or parser's error, as text. */
  error?: string;
  attempts?: number;
  originalExchange?: string;
  originalRoutingKey?: string;
  originalQueue?: string;
  deadLetteredAt?: string;
  /** The body as text, exactly as it arrived. */
  body: string;
  /** The body parsed as JSON, when it is JSON. */
  payload?: unknown;
}

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

/**
 * Lists dead letters without removing them: messages are read unacknowledged, then all handed
 * back to the queue in their order.
 */
export async function inspectDeadLetters(connection: RabbitConnection, queue: string, options: { limit?: number } = {}): Promise<DeadLetterListing> {
  const deadLetterQueue = resolveDeadLetterQueue(queue);
  const limit = options.limit ?? 100;
  return withChannel(connection, async (channel) => {
    const { messageCount } = await channel.checkQueue(deadLetterQueue);
    const messages: DeadLetter[] = [];
    while (messages.length < limit) {
      const message = await channel.get(deadLetterQueue, { noAck: false });
      if (!message) break;
      messages.push(describeDeadLetter(message));
    }
    channel.nackAll(true);
    return { queue: deadLetterQueue, count: messageCount, messages };
  });
}

/**
 * Moves up to `limit` dead letters (default: all waiting now) back into the queue they came from, as a first
 * attempt again. Each is removed from the dead-letter queue only after the broker confirmed its
 * copy. Returns how many were replayed.
 */
export async function replayDeadLetters(connection: RabbitConnection, queue: string, options: { limit?: number } = {}): Promise<{ queue: string; replayed: number }> {
  const deadLetterQueue = resolveDeadLetterQueue(queue);
  return withChannel(connection, async (channel) => {
    // Never more than were waiting at the start: a message that fails again at once must not loop.
    const { messageCount } = await channel.checkQueue(deadLetterQueue);
    const limit = Math.min(options.limit ?? Number.POSITIVE_INFINITY, messageCount);
    let replayed = 0;
    while (replayed < limit) {
      const message = await channel.get(deadLetterQueue, { noAck: false });
      if (!message) break;
      const headers = message.properties.headers;
      const target = headerString(headers, messageHeaders.originalQueue) ?? deadLetterQueue.replace(/\.dead-letter$/, '');
      const copy = republishOptions(message.properties, {}, [
        messageHeaders.attempt,
        messageHeaders.deadLetterReason,
        messageHeaders.error,
        messageHeaders.attempts,
        messageHeaders.deadLetteredAt,
        messageHeaders.originalQueue,
      ]);
      await sendToQueueConfirmed(channel, target, message.content, copy);
      channel.ack(message);
      replayed += 1;
    }
    return { queue: deadLetterQueue, replayed };
  });
}

function describeDeadLetter(message: GetMessage): DeadLetter {
  const { properties } = message;
  const headers = properties.headers;
  const body = message.content.toString('utf8');
  const letter: DeadLetter = { body };
  const set = <K extends keyof DeadLetter>(key: K, value: DeadLetter[K] | undefined) => {
    if (value !== undefined) letter[key] = value;
  };
  set('messageId', properties.messageId === undefined ? undefined : String(properties.messageId));
  set('type', properties.type === undefined ? undefined : String(properties.type));
  set('correlationId', properties.correlationId === undefined ? undefined : String(properties.correlationId));
  set('reason', headerString(headers, messageHeaders.deadLetterReason));
  set('error', headerString(headers, messageHeaders.error));
  set('attempts', headerNumber(headers, messageHeaders.attempts));
  set('originalExchange', headerString(headers, messageHeaders.originalExchange));
  set('originalRoutingKey', headerString(headers, messageHeaders.originalRoutingKey));
  set('originalQueue', headerString(headers, messageHeaders.originalQueue));
  set('deadLetteredAt', headerString(headers, messageHeaders.deadLetteredAt));
  try {
    letter.payload = JSON.parse(body);
  } catch {
    // not JSON: the body says it all
  }
  return letter;
}
