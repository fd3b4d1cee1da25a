import type { DomainEvent } from '@trendcast/events';
import type { MessageProperties, Options } from 'amqplib';
import { internalHeaders } from './confirm.js';

/** Header names this package writes on the wire. */
export const messageHeaders = {
  eventVersion: 'x-event-version',
  causationId: 'x-causation-id',
  /** 1 on the first delivery; a retry copy carries the number of the attempt it will be. */
  attempt: 'x-attempt',
  /** Where the message first arrived, kept across retries and replays. */
  originalExchange: 'x-original-exchange',
  originalRoutingKey: 'x-original-routing-key',
  originalQueue: 'x-original-queue',
  deadLetterReason: 'x-dead-letter-reason',
  error: 'x-error',
  attempts: 'x-attempts',
  deadLetteredAt: 'x-dead-lettered-at',
  /** When an operator replayed the message (from a dead-letter or unrouted queue). */
  replayedAt: 'x-replayed-at',
} as const;

/**
 * Why a message is in a dead-letter queue: unparseable and max-attempts are the consumer's own verdicts;
 * delivery-limit is the broker's (a quorum queue delivered it past its delivery limit without an outcome).
 */
export type DeadLetterReason = 'unparseable' | 'max-attempts' | 'delivery-limit';

/** The AMQP properties of a published event: persistent, JSON, and traceable without reading the body. */
export function eventPublishOptions(event: DomainEvent): Options.Publish {
  const headers: Record<string, unknown> = { [messageHeaders.eventVersion]: event.version };
  if (event.causationId) headers[messageHeaders.causationId] = event.causationId;
  return {
    persistent: true,
    messageId: event.id,
    correlationId: event.correlationId,
    type: event.type,
    appId: event.source,
    // AMQP timestamps are whole seconds.
    timestamp: Math.floor(Date.parse(event.occurredAt) / 1000),
    contentType: 'application/json',
    contentEncoding: 'utf-8',
    headers,
  };
}

/**
 * Headers the broker adds on dead-lettering (our own headers carry the history instead) and
 * our per-publish bookkeeping: neither is copied.
 */
const droppedHeaders = ['x-death', 'x-first-death-exchange', 'x-first-death-queue', 'x-first-death-reason', 'x-delivery-count', ...internalHeaders];

/** The properties of a delivered message, ready to publish a copy of it with `extraHeaders` set. */
export function republishOptions(properties: MessageProperties, extraHeaders: Record<string, unknown>, dropHeaders: readonly string[] = []): Options.Publish {
  const headers: Record<string, unknown> = { ...(properties.headers ?? {}) };
  for (const name of [...droppedHeaders, ...dropHeaders]) delete headers[name];
  Object.assign(headers, extraHeaders);
  const options: Options.Publish = { persistent: true, headers };
  if (properties.messageId !== undefined) options.messageId = String(properties.messageId);
  if (properties.correlationId !== undefined) options.correlationId = String(properties.correlationId);
  if (properties.type !== undefined) options.type = String(properties.type);
  if (properties.appId !== undefined) options.appId = String(properties.appId);
  if (properties.timestamp !== undefined) options.timestamp = Number(properties.timestamp);
  if (properties.contentType !== undefined) options.contentType = String(properties.contentType);
  if (properties.contentEncoding !== undefined) options.contentEncoding = String(properties.contentEncoding);
  return options;
}

export function headerString(headers: Record<string, unknown> | undefined, name: string): string | undefined {
  const value = headers?.[name];
  if (value === undefined || value === null) return undefined;
  return Buffer.isBuffer(value) ? value.toString('utf8') : String(value);
}

export function headerNumber(headers: Record<string, unknown> | undefined, name: string): number | undefined {
  const value = Number(headerString(headers, name));
  return Number.isFinite(value) ? value : undefined;
}
