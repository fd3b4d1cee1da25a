import { uniqueName, waitFor } from '@trendcast/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  EventConsumer,
  exchangeForType,
  inspectDeadLetters,
  queueStats,
  replayDeadLetters,
  EventPublisher,
  type RabbitConnection,
} from '../src/index.js';
import { onlyQueue, openConnection, recordingLogger, recordingMetrics, removeDeclaredAndClose, sampleEvent } from './support.js';

const namespace = uniqueName('msgtest_retry');
let connection: RabbitConnection;
const queues: string[] = [];

beforeAll(async () => {
  connection = await openConnection('retry-test');
});

afterAll(async () => {
  await removeDeclaredAndClose(connection, namespace, { queues, producers: ['users'] });
});

describe('a handler that throws', () => {
  it('when it keeps failing, then it is retried after each growing delay and dead-lettered after maxAttempts; a replay runs it again', async () => {
    // Arrange
    const retryDelaysMs = [200, 400, 800];
    const calls: Array<{ attempt: number; at: number }> = [];
    let failing = true;
    const { metrics, recorded } = recordingMetrics();
    const consumer = new EventConsumer(connection, { service: uniqueName('flaky'), namespace, logger: recordingLogger(), metrics, maxAttempts: 4, retryDelaysMs }).on(
      'users.user.registered',
      async (_event, { attempt }) => {
        calls.push({ attempt, at: performance.now() });
        if (failing) throw new Error('smtp server said 451');
      },
    );
    queues.push(...consumer.queueNames());
    await consumer.start();
    const { queue } = onlyQueue(consumer);
    const publisher = new EventPublisher(connection, { namespace });
    const event = sampleEvent('users.user.registered');

    // Act
    await publisher.publish(event);
    await waitFor(async () => (await queueStats(connection, `${queue}.dead-letter`)).messageCount === 1, { what: 'the dead letter', timeoutMs: 10_000 });
    // The copy is in the dead-letter queue as soon as the broker stored it; the ack follows its confirm.
    await waitFor(() => recorded.consumed.length === 4, { what: 'the original to be settled' });

    // Assert: four attempts, each after at least its delay
    expect(calls.map(({ attempt }) => attempt)).toEqual([1, 2, 3, 4]);
    const gaps = calls.slice(1).map((call, index) => call.at - (calls[index]?.at ?? 0));
    gaps.forEach((gap, index) => expect(gap).toBeGreaterThanOrEqual((retryDelaysMs[index] ?? 0) - 5));
    expect(recorded.consumed.map(([, outcome]) => outcome)).toEqual(['retried', 'retried', 'retried', 'dead_lettered']);
    const listing = await inspectDeadLetters(connection, queue);
    expect(listing.messages).toHaveLength(1);
    expect(listing.messages[0]).toMatchObject({
      messageId: event.id,
      type: event.type,
      reason: 'max-attempts',
      attempts: 4,
      error: 'Error: smtp server said 451',
      originalExchange: exchangeForType(event.type, namespace),
      originalRoutingKey: event.type,
      originalQueue: queue,
      payload: event,
    });

    // Act: the operator fixed the cause and replays
    failing = false;
    const replay = await replayDeadLetters(connection, queue);
    await waitFor(() => calls.length === 5, { what: 'the replayed delivery' });

    // Assert
    expect(replay).toEqual({ queue: `${queue}.dead-letter`, replayed: 1 });
    expect(calls[4]?.attempt).toBe(1);
    await waitFor(() => recorded.consumed.at(-1)?.[1] === 'acked', { what: 'the ack of the replayed event' });
    await consumer.stop();
    expect((await queueStats(connection, `${queue}.dead-letter`)).messageCount).toBe(0);
    expect((await queueStats(connection, queue)).messageCount).toBe(0);
    await publisher.close();
  });

  it('when it fails once, then the retry succeeds and nothing is dead-lettered', async () => {
    // Arrange
    const attempts: number[] = [];
    const consumer = new EventConsumer(connection, { service: uniqueName('once'), namespace, logger: recordingLogger(), retryDelaysMs: [100] }).on(
      'users.user.updated',
      async (_event, { attempt }) => {
        attempts.push(attempt);
        if (attempt === 1) throw new Error('database restarting');
      },
    );
    queues.push(...consumer.queueNames());
    await consumer.start();
    const { queue } = onlyQueue(consumer);
    const publisher = new EventPublisher(connection, { namespace });

    // Act
    await publisher.publish(sampleEvent('users.user.updated'));
    await waitFor(() => attempts.length === 2, { what: 'the retry' });

    // Assert
    expect(attempts).toEqual([1, 2]);
    await consumer.stop(); // an unacked message would go back to the queue here
    expect((await queueStats(connection, queue)).messageCount).toBe(0);
    expect((await queueStats(connection, `${queue}.dead-letter`)).messageCount).toBe(0);
    expect((await queueStats(connection, `${queue}.retry.100ms`)).messageCount).toBe(0);
    await publisher.close();
  });
});
