import { uniqueName, waitFor } from '@trendcast/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventConsumer, EventPublisher, inspectDeadLetters, queueStats, type RabbitConnection } from '../src/index.js';
import { onlyQueue, openConnection, recordingLogger, recordingMetrics, removeDeclaredAndClose, sampleEvent } from './support.js';

const namespace = uniqueName('msgtest_deadline');
let connection: RabbitConnection;
const queues: string[] = [];

beforeAll(async () => {
  connection = await openConnection('handler-deadline-test');
});

afterAll(async () => {
  await removeDeclaredAndClose(connection, namespace, { queues, producers: ['users'] });
});

describe('a handler that hangs', () => {
  it('when a handler never finishes, then after its deadline its signal aborts and the message takes the retry path, freeing its slot', async () => {
    // Arrange: prefetch 1, so a held slot would stop everything behind it.
    const calls: Array<{ id: string; attempt: number }> = [];
    const aborted: string[] = [];
    const { metrics, recorded } = recordingMetrics();
    const hung = sampleEvent('users.user.updated');
    const consumer = new EventConsumer(connection, {
      service: uniqueName('hanging'),
      namespace,
      logger: recordingLogger(),
      metrics,
      prefetch: 1,
      handlerTimeoutMs: 300,
      retryDelaysMs: [100],
      maxAttempts: 2,
    }).on('users.user.updated', async (event, { attempt, signal }) => {
      calls.push({ id: event.id, attempt });
      if (event.id !== hung.id) return;
      signal.addEventListener('abort', () => aborted.push(`${event.id}@${attempt}`));
      await new Promise<void>(() => {}); // never settles
    });
    queues.push(...consumer.queueNames());
    await consumer.start();
    const publisher = new EventPublisher(connection, { namespace });
    const behind = sampleEvent('users.user.updated');

    // Act
    await publisher.publish(hung);
    await publisher.publish(behind);
    await waitFor(async () => (await queueStats(connection, `${onlyQueue(consumer).queue}.dead-letter`)).messageCount === 1, { what: 'the dead letter', timeoutMs: 10_000 });

    // Assert: retried after its deadline, then dead-lettered after the last; the event behind it went through meanwhile.
    expect(calls.filter((call) => call.id === hung.id).map((call) => call.attempt)).toEqual([1, 2]);
    expect(calls.some((call) => call.id === behind.id)).toBe(true);
    expect(aborted).toEqual([`${hung.id}@1`, `${hung.id}@2`]);
    await waitFor(() => recorded.consumed.length === 3, { what: 'every settlement' });
    expect(recorded.consumed.map(([, outcome]) => outcome).sort()).toEqual(['acked', 'dead_lettered', 'retried']);
    const [letter] = (await inspectDeadLetters(connection, onlyQueue(consumer).queue)).messages;
    expect(letter).toMatchObject({ messageId: hung.id, reason: 'max-attempts' });
    expect(letter?.error).toContain('did not finish within 300 ms');
    await consumer.stop({ timeoutMs: 1_000 });
    await publisher.close();
  });

  it('when a batch handler hangs, then each of its events takes the retry path after one deadline, not one deadline each', async () => {
    // Arrange
    const service = uniqueName('hangingbatch');
    const declaring = new EventConsumer(connection, { service, namespace, logger: recordingLogger() }).on('users.user.deleted', async () => {});
    queues.push(...declaring.queueNames());
    await declaring.declareTopology();
    const publisher = new EventPublisher(connection, { namespace });
    const events = Array.from({ length: 5 }, () => sampleEvent('users.user.deleted'));
    for (const event of events) await publisher.publish(event);
    const { metrics, recorded } = recordingMetrics();
    const consumer = new EventConsumer(connection, { service, namespace, logger: recordingLogger(), metrics, handlerTimeoutMs: 300, retryDelaysMs: [60_000] }).onBatch(
      'users.user.deleted',
      async () => {
        await new Promise<void>(() => {});
      },
    );
    queues.push(...consumer.queueNames());

    // Act
    const startedAt = performance.now();
    await consumer.start();
    await waitFor(() => recorded.consumed.length === events.length, { what: 'every event retried', timeoutMs: 10_000 });
    const tookMs = performance.now() - startedAt;

    // Assert: the batch's deadline, then its events' own deadlines side by side: about two deadlines, not six.
    expect(recorded.consumed.every(([, outcome]) => outcome === 'retried')).toBe(true);
    expect(tookMs).toBeLessThan(300 * events.length);
    await consumer.stop({ timeoutMs: 1_000 });
    await publisher.close();
  });
});
