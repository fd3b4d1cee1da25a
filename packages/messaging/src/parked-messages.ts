import type { ConfirmChannel, GetMessage } from 'amqplib';
import { isNotFound } from './broker-errors.js';
import { publishMandatory, sendToQueueConfirmed } from './confirm.js';
import { headerNumber, headerString, messageHeaders, republishOptions } from './message-properties.js';
import type { RabbitConnection } from './rabbit-connection.js';
import { consumerQueueName, deadLetterQueueName, producerExchangeName, unroutedQueueName } from './topology.js';
import { withChannel } from './with-channel.js';

/**
 * Messages parked for an operator, in two kinds of queue:
 * - dead-letter (`<consumer queue>.dead-letter`): events a consumer could not handle (unparseable, out of
 *   attempts, or delivered past the delivery limit); a replay puts them back into their consumer queue;
 * - unrouted (`<producer exchange>.unrouted`): events published while no queue was bound for them; a
 *   replay publishes them to their exchange again, so the queues bound by then receive them.
 * An operator console shows and replays both with this module; the dead-letters CLI uses it too.
 */
export type ParkedKind = 'dead-letter' | 'unrouted';

export interface ParkedMessage {
  kind: ParkedKind;
  messageId?: string;
  type?: string;
  correlationId?: string;
  /** Dead letters: 'unparseable', 'max-attempts' or 'delivery-limit'. */
  reason?: string;
  /** The handler's or parser's error, as text. */
  error?: string;
  attempts?: number;
  originalExchange?: string;
  originalRoutingKey?: string;
  originalQueue?: string;
  deadLetteredAt?: string;
  replayedAt?: string;
  /** The body as text, exactly as it arrived. */
  body: string;
  /** The body parsed as JSON, when it is JSON. */
  payload?: unknown;
}

export interface ParkedListing {
  queue: string;
  kind: ParkedKind;
  /** Messages waiting in it. */
  count: number;
  /** The first `limit` of them, oldest first. */
  messages: ParkedMessage[];
}

export interface ParkedQueueCount {
  queue: string;
  kind: ParkedKind;
  messageCount: number;
}

/**
 * The parked queue a name designates: `users.events.unrouted` or `users.events` (a producer exchange)
 * mean its unrouted queue; `notifier.users-events` or `notifier.users-events.dead-letter` its dead-letter queue.
 */
export function resolveParkedQueue(name: string): { queue: string; kind: ParkedKind } {
  if (name.endsWith('.unrouted')) return { queue: name, kind: 'unrouted' };
  if (name.endsWith('.events')) return { queue: unroutedQueueName(name), kind: 'unrouted' };
  return { queue: name.endsWith('.dead-letter') ? name : deadLetterQueueName(name), kind: 'dead-letter' };
}

/** The parked queues of a system: every producer's unrouted queue and every consumer queue's dead-letter queue. */
export function parkedQueueNames(system: { producers: readonly string[]; consumers?: ReadonlyArray<{ service: string; producers: readonly string[] }>; namespace?: string }): string[] {
  const unrouted = system.producers.map((producer) => unroutedQueueName(producerExchangeName(producer, system.namespace)));
  const deadLetters = (system.consumers ?? []).flatMap(({ service, producers }) =>
    producers.map((producer) => deadLetterQueueName(consumerQueueName(service, producer, system.namespace))),
  );
  return [...deadLetters, ...unrouted];
}

/** How many messages wait in each of the named parked queues; queues that do not exist are left out. */
export async function countParked(connection: RabbitConnection, names: readonly string[]): Promise<ParkedQueueCount[]> {
  const counts: ParkedQueueCount[] = [];
  for (const name of names) {
    const { queue, kind } = resolveParkedQueue(name);
    try {
      const { messageCount } = await withChannel(connection, (channel) => channel.checkQueue(queue));
      counts.push({ queue, kind, messageCount });
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  }
  return counts;
}

/**
 * Lists parked messages without removing them: they are read unacknowledged, then all handed back to
 * the queue in their order (the parked queues are classic queues, where that costs nothing).
 */
export async function peekParked(connection: RabbitConnection, name: string, options: { limit?: number } = {}): Promise<ParkedListing> {
  const { queue, kind } = resolveParkedQueue(name);
  const limit = options.limit ?? 100;
  return withChannel(connection, async (channel) => {
    const { messageCount } = await channel.checkQueue(queue);
    const messages: ParkedMessage[] = [];
    while (messages.length < limit) {
      const message = await channel.get(queue, { noAck: false });
      if (!message) break;
      messages.push(describeParked(kind, message));
    }
    channel.nackAll(true);
    return { queue, kind, count: messageCount, messages };
  });
}

/**
 * Replays parked messages: up to `limit` (default: all waiting now), or only those with `messageId`.
 * A dead letter goes back into its consumer queue as a first attempt; an unrouted event is published
 * to its exchange again (if still no queue is bound for it, it is parked again, at the back). Each is
 * removed only after its copy is confirmed, and never more than were waiting at the start are taken,
 * so a message that fails again at once cannot loop.
 */
export async function replayParked(
  connection: RabbitConnection,
  name: string,
  options: { limit?: number; messageId?: string } = {},
): Promise<{ queue: string; kind: ParkedKind; replayed: number }> {
  const { queue, kind } = resolveParkedQueue(name);
  return withChannel(connection, async (channel) => {
    const { messageCount } = await channel.checkQueue(queue);
    const limit = options.limit ?? Number.POSITIVE_INFINITY;
    let replayed = 0;
    let skipped = 0;
    try {
      for (let taken = 0; taken < messageCount && replayed < limit; taken += 1) {
        const message = await channel.get(queue, { noAck: false });
        if (!message) break;
        if (options.messageId !== undefined && String(message.properties.messageId) !== options.messageId) {
          skipped += 1;
          continue;
        }
        await replayOne(channel, kind, queue, message);
        channel.ack(message);
        replayed += 1;
      }
    } finally {
      // Those passed over go back where they were.
      if (skipped > 0) channel.nackAll(true);
    }
    return { queue, kind, replayed };
  });
}

async function replayOne(channel: ConfirmChannel, kind: ParkedKind, queue: string, message: GetMessage): Promise<void> {
  const replayedAt = new Date().toISOString();
  if (kind === 'unrouted') {
    const copy = republishOptions(message.properties, { [messageHeaders.replayedAt]: replayedAt });
    await publishMandatory(channel, message.fields.exchange, message.fields.routingKey, message.content, copy, `replay-${message.fields.deliveryTag}-${replayedAt}`).confirmed;
    return;
  }
  const headers = message.properties.headers;
  const target = headerString(headers, messageHeaders.originalQueue) ?? brokerDeath(headers)?.queue ?? queue.replace(/\.dead-letter$/, '');
  const copy = republishOptions(message.properties, { [messageHeaders.replayedAt]: replayedAt }, [
    messageHeaders.attempt,
    messageHeaders.deadLetterReason,
    messageHeaders.error,
    messageHeaders.attempts,
    messageHeaders.deadLetteredAt,
    messageHeaders.originalQueue,
  ]);
  await sendToQueueConfirmed(channel, target, message.content, copy);
}

/** The broker's own record of the last dead-lettering (x-death), e.g. a quorum queue's delivery limit. */
function brokerDeath(headers: Record<string, unknown> | undefined): { reason?: string; queue?: string; exchange?: string; routingKey?: string; at?: string } | undefined {
  const deaths = headers?.['x-death'];
  if (!Array.isArray(deaths) || deaths.length === 0) return undefined;
  const last = deaths[0] as Record<string, unknown>;
  const time = last.time as { value?: unknown } | Date | undefined;
  const seconds = time instanceof Date ? time.getTime() / 1000 : Number((time as { value?: unknown } | undefined)?.value);
  const keys = last['routing-keys'];
  return {
    ...(typeof last.reason === 'string' ? { reason: last.reason } : {}),
    ...(typeof last.queue === 'string' ? { queue: last.queue } : {}),
    ...(typeof last.exchange === 'string' ? { exchange: last.exchange } : {}),
    ...(Array.isArray(keys) && typeof keys[0] === 'string' ? { routingKey: keys[0] } : {}),
    ...(Number.isFinite(seconds) ? { at: new Date(seconds * 1000).toISOString() } : {}),
  };
}

function describeParked(kind: ParkedKind, message: GetMessage): ParkedMessage {
  const { properties } = message;
  const headers = properties.headers;
  const body = message.content.toString('utf8');
  const parked: ParkedMessage = { kind, body };
  const set = <K extends keyof ParkedMessage>(key: K, value: ParkedMessage[K] | undefined) => {
    if (value !== undefined) parked[key] = value;
  };
  set('messageId', properties.messageId === undefined ? undefined : String(properties.messageId));
  set('type', properties.type === undefined ? undefined : String(properties.type));
  set('correlationId', properties.correlationId === undefined ? undefined : String(properties.correlationId));
  set('replayedAt', headerString(headers, messageHeaders.replayedAt));
  if (kind === 'unrouted') {
    set('originalExchange', message.fields.exchange);
    set('originalRoutingKey', message.fields.routingKey);
  } else {
    const death = brokerDeath(headers);
    const deliveryLimit = headerString(headers, messageHeaders.deadLetterReason) === undefined && death?.reason === 'delivery_limit';
    set('reason', headerString(headers, messageHeaders.deadLetterReason) ?? (deliveryLimit ? 'delivery-limit' : death?.reason));
    set('error', headerString(headers, messageHeaders.error) ?? (deliveryLimit ? 'delivered past the queue’s delivery limit without an outcome (its consumer died or lost its connection each time)' : undefined));
    set('attempts', headerNumber(headers, messageHeaders.attempts) ?? (deliveryLimit ? (headerNumber(headers, messageHeaders.attempt) ?? 1) : undefined));
    set('originalExchange', headerString(headers, messageHeaders.originalExchange) ?? death?.exchange);
    set('originalRoutingKey', headerString(headers, messageHeaders.originalRoutingKey) ?? death?.routingKey);
    set('originalQueue', headerString(headers, messageHeaders.originalQueue) ?? death?.queue);
    set('deadLetteredAt', headerString(headers, messageHeaders.deadLetteredAt) ?? death?.at);
  }
  try {
    parked.payload = JSON.parse(body);
  } catch {
    // not JSON: the body says it all
  }
  return parked;
}
