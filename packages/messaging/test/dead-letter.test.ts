import { randomUUID } from 'node:crypto';
import { uniqueName, waitFor } from '@trendcast/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  EventConsumer,
  exchangeForType,
  inspectDeadLetters,
  queueStats,
  type RabbitConnection,
} from '../src/index.js';
import { onlyQueue, openConnection, publishRaw, recordingLogger, recordingMetrics, removeDeclaredAndClose, sampleEvent } from './support.js';

const namespace = uniqueName('msgtest_dl');
let connection: RabbitConnection;
const queues: string[] = [];

beforeAll(async () => {
  connection = await openConnection('dead-letter-test');
});

afterAll(async () => {
  await removeDeclaredAndClose(connection, namespace, { queues, producers: ['users'] });
});

describe('unparseable events', () => {
  it('when a payload is not JSON, not an envelope or has invalid data, then it is dead-lettered at once and the handler never runs', async () => {
    // Arrange
    const handled: string[] = [];
    const { metrics, recorded } = recordingMetrics();
    const consumer = new EventConsumer(connection, { service: uniqueName('poison'), namespace, logger: recordingLogger(), metrics, retryDelaysMs: [50] }).on(
      'users.user.registered',
      async (event) => {
        handled.push(event.id);
      },
    );
    queues.push(...consumer.queueNames());
    await consumer.start();
    const { queue } = onlyQueue(consumer);
    const type = 'users.user.registered';
    const exchange = exchangeForType(type, namespace);
    const valid = sampleEvent(type);
    const badData = { ...sampleEvent(type), data: { userId: 'not-a-uuid', email: 'nope' } };
    const unknownVersion = { ...sampleEvent(type), version: 99 };

    // Act
    await publishRaw(connection, exchange, type, 'this is {not json');
    await publishRaw(connection, exchange, type, JSON.stringify({ hello: 'world' }));
    await publishRaw(connection, exchange, type, JSON.stringify(badData));
    await publishRaw(connection, exchange, type, JSON.stringify(unknownVersion));
    await publishRaw(connection, exchange, type, JSON.stringify(valid));
    await waitFor(async () => (await queueStats(connection, `${queue}.dead-letter`)).messageCount === 4, { what: 'four dead letters' });
    await waitFor(() => handled.length === 1, { what: 'the valid event' });

    // Assert
    expect(handled).toEqual([valid.id]);
    const listing = await inspectDeadLetters(connection, queue);
    expect(listing.count).toBe(4);
    expect(listing.messages.map((letter) => letter.reason)).toEqual(['unparseable', 'unparseable', 'unparseable', 'unparseable']);
    expect(listing.messages.map((letter) => letter.attempts)).toEqual([1, 1, 1, 1]);
    expect(listing.messages.every((letter) => letter.originalExchange === exchange && letter.originalRoutingKey === type && letter.originalQueue === queue)).toBe(true);
    const errors = listing.messages.map((letter) => letter.error ?? '');
    expect(errors[0]).toContain('not JSON');
    expect(errors[1]).toContain('invalid event envelope');
    expect(errors[2]).toContain('invalid data for users.user.registered@1');
    expect(errors[3]).toContain('unknown event users.user.registered@99');
    expect(listing.messages[0]?.body).toBe('this is {not json');
    expect(listing.messages[2]?.payload).toEqual(badData);
    // Nothing went through the delay path, and inspecting left the dead letters in place.
    expect((await queueStats(connection, `${queue}.retry.50ms`)).messageCount).toBe(0);
    expect((await queueStats(connection, `${queue}.dead-letter`)).messageCount).toBe(4);
    await waitFor(() => recorded.consumed.filter(([, outcome]) => outcome === 'dead_lettered').length === 4, { what: 'four settled originals' });
    await consumer.stop();
  });

  it('when a dead-letter queue holds more than the limit, then inspecting lists only the oldest and keeps them all', async () => {
    // Arrange
    const consumer = new EventConsumer(connection, { service: uniqueName('inspect'), namespace, logger: recordingLogger() }).on('users.user.deleted', async () => {});
    queues.push(...consumer.queueNames());
    await consumer.start();
    const { queue, exchange } = onlyQueue(consumer);
    const bodies = [randomUUID(), randomUUID(), randomUUID()];
    for (const body of bodies) await publishRaw(connection, exchange, 'users.user.deleted', body);
    await waitFor(async () => (await queueStats(connection, `${queue}.dead-letter`)).messageCount === 3, { what: 'three dead letters' });

    // Act
    const listing = await inspectDeadLetters(connection, `${queue}.dead-letter`, { limit: 2 });

    // Assert
    expect(listing).toMatchObject({ queue: `${queue}.dead-letter`, count: 3 });
    expect(listing.messages.map((letter) => letter.body)).toEqual(bodies.slice(0, 2));
    expect((await inspectDeadLetters(connection, queue)).messages.map((letter) => letter.body)).toEqual(bodies);
    await consumer.stop();
  });
});
