import { randomUUID } from 'node:crypto';
import { envelopeSchema } from './envelope.js';
import { contractFor, eventContracts, type EventData, type EventType } from './registry.js';

/** A parsed event whose `data` matches the contract of its type. */
export interface DomainEvent<T extends EventType = EventType> {
  id: string;
  type: T;
  version: number;
  occurredAt: string;
  source: string;
  correlationId: string;
  causationId?: string;
  data: EventData<T>;
}

export type AnyDomainEvent = { [T in EventType]: DomainEvent<T> }[EventType];

export interface EventOrigin {
  source: string;
  correlationId: string;
  /** The id of the event (or request) that caused this one. */
  causationId?: string;
}

/** The origin of an event caused by handling `cause`: same correlation id, `cause` as its causation. */
export function causedBy(cause: Pick<DomainEvent, 'id' | 'correlationId'>, source: string): EventOrigin {
  return { source, correlationId: cause.correlationId, causationId: cause.id };
}

/** Builds a new event of the current contract version, validating its data. */
export function createEvent<T extends EventType>(type: T, data: EventData<T>, origin: EventOrigin): DomainEvent<T> {
  const contract = eventContracts[type];
  const parsed = contract.schema.parse(data) as EventData<T>;
  const event: DomainEvent<T> = {
    id: randomUUID(),
    type,
    version: contract.version,
    occurredAt: new Date().toISOString(),
    source: origin.source,
    correlationId: origin.correlationId,
    data: parsed,
  };
  if (origin.causationId) event.causationId = origin.causationId;
  return event;
}

export class EventParseError extends Error {
  constructor(message: string, readonly details?: unknown) {
    super(message);
    this.name = 'EventParseError';
  }
}

/** Parses an unknown value (from the wire or the outbox) into a typed event, or throws EventParseError. */
export function parseEvent(raw: unknown): AnyDomainEvent {
  const envelope = envelopeSchema.safeParse(raw);
  if (!envelope.success) throw new EventParseError('invalid event envelope', envelope.error.issues);
  const { type, version } = envelope.data;
  const contract = contractFor(type, version);
  if (!contract) throw new EventParseError(`unknown event ${type}@${version}`);
  const data = contract.schema.safeParse(envelope.data.data);
  if (!data.success) throw new EventParseError(`invalid data for ${type}@${version}`, data.error.issues);
  const event = { ...envelope.data, data: data.data };
  if (event.causationId === undefined) delete event.causationId;
  return event as AnyDomainEvent;
}

/** Parses a message body (bytes or text) into a typed event, or throws EventParseError. */
export function decodeEvent(body: Buffer | string): AnyDomainEvent {
  let raw: unknown;
  try {
    raw = JSON.parse(typeof body === 'string' ? body : body.toString('utf8'));
  } catch {
    throw new EventParseError('event body is not JSON');
  }
  return parseEvent(raw);
}

export function encodeEvent(event: DomainEvent): Buffer {
  return Buffer.from(JSON.stringify(event), 'utf8');
}
