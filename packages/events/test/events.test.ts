import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  causedBy,
  createEvent,
  decodeEvent,
  defaultNotificationPreferences,
  encodeEvent,
  EventParseError,
  eventContracts,
  eventTypes,
  exchangeFor,
  parseEvent,
  type DomainEvent,
  type EventData,
} from '../src/index.js';
import { sampleEventData } from './samples.js';

const origin = { source: 'test', correlationId: 'corr-1' };

describe('event contracts', () => {
  it('when every catalogued type has a sample, then each round-trips through bytes unchanged', () => {
    expect(eventTypes.length).toBe(14);
    for (const type of eventTypes) {
      const event = createEvent(type, sampleEventData[type] as never, origin);
      const decoded = decodeEvent(encodeEvent(event));
      expect(decoded).toEqual(event);
      expect(decoded.version).toBe(eventContracts[type].version);
    }
  });

  it('when data breaks the contract, then createEvent refuses it', () => {
    expect(() =>
      createEvent('users.user.registered', { userId: 'nope', email: 'x', displayName: '', notificationPreferences: defaultNotificationPreferences }, origin),
    ).toThrow();
  });

  it('when the body is not JSON, then decodeEvent throws EventParseError', () => {
    expect(() => decodeEvent('{not json')).toThrow(EventParseError);
  });

  it('when the type is unknown or the version retired, then parseEvent throws EventParseError', () => {
    const event = createEvent('users.user.deleted', sampleEventData['users.user.deleted'], origin);
    expect(() => parseEvent({ ...event, type: 'users.user.exploded' })).toThrow(/unknown event/);
    expect(() => parseEvent({ ...event, version: 99 })).toThrow(/unknown event/);
  });

  it('when data is missing a field, then the error names it', () => {
    const event = createEvent('users.user.deleted', sampleEventData['users.user.deleted'], origin);
    try {
      parseEvent({ ...event, data: {} });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(EventParseError);
      expect(JSON.stringify((error as EventParseError).details)).toContain('userId');
    }
  });

  it('when an event causes another, then the correlation id travels on and the cause is named', () => {
    const cause = createEvent('users.user.deleted', sampleEventData['users.user.deleted'], origin);
    const effect = createEvent('users.user.deleted', sampleEventData['users.user.deleted'], causedBy(cause, 'trends'));
    expect(effect.correlationId).toBe('corr-1');
    expect(effect.causationId).toBe(cause.id);
    expect(effect.source).toBe('trends');
  });

  it('routes each event to its producer exchange', () => {
    expect(exchangeFor('users.user.registered')).toBe('users.events');
    expect(exchangeFor('tweeter.post.failed')).toBe('tweeter.events');
    expect(() => exchangeFor('nodots')).toThrow();
  });

  it('types the data of each event by its type', () => {
    expectTypeOf<EventData<'users.user.deleted'>>().toEqualTypeOf<{ userId: string }>();
    expectTypeOf<DomainEvent<'tweeter.post.failed'>['data']['attempts']>().toEqualTypeOf<number>();
    // @ts-expect-error: data of another event does not compile, and is refused at run time too
    expect(() => createEvent('users.user.deleted', { postId: 'x' }, origin)).toThrow();
  });
});
