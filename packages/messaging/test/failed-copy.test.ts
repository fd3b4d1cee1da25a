import { uniqueName, waitFor } from '@trendcast/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteQueues, EventConsumer, EventPublisher, queueStats, retryQueueName, type RabbitConnection } from '../src/index.js';
import { onlyQueue, openConnection, recordingLogger, recordingMetrics, removeDeclaredAndClose, sampleEvent } from './support.js';

const namespace = uniqueName('msgtest_copy');
let connection: RabbitConnection;
const queues: string[] = [];

beforeAll(async () => {
  connection = await openConnection('failed-copy-test');
});

afterAll(async () => {
  await removeDeclaredAndClose(connection, namespace, { queues, producers: ['trends'] });
});

describe('a handler that throws is never acked away', () => {
  it('when the copy to the delay queue fails, then the original is requeued, not acked, and the event is handled again', async () => {
    // Arrange: the delay queue is gone when the handler fails, so the copy is returned by the broker.
    const attempts: Array<{ attempt: number; redelivered: boolean }> = [];
    const { metrics, recorded } = recordingMetrics();
    const consumer = new EventConsumer(connection, { service: uniqueName('copyfail'), namespace, logger: recordingLogger(), metrics, retryDelaysMs: [100] }).on(
      'trends.search.completed',
      async (_event, { attempt, redelivered }) => {
        attempts.push({ attempt, redelivered });
        if (attempt === 1) throw new Error('downstream unavailable');
      },
    );
    queues.push(...consumer.queueNames());
    await consumer.start();
    const { queue } = onlyQueue(consumer);
    await deleteQueues(connection, [retryQueueName(queue, 100)]);
    const publisher = new EventPublisher(connection, { namespace });

    // Act
    await publisher.publish(sampleEvent('trends.search.completed'));

    // Assert: the first failure's copy failed, so the message came back (redelivered) instead of vanishing;
    // once the topology was declared again, the retry path worked and the second attempt succeeded.
    await waitFor(() => attempts.some(({ attempt }) => attempt === 2), { what: 'the second attempt', timeoutMs: 15_000 });
    expect(attempts).toEqual([
      { attempt: 1, redelivered: false },
      { attempt: 1, redelivered: true },
      { attempt: 2, redelivered: false },
    ]);
    await waitFor(() => recorded.consumed.at(-1)?.[1] === 'acked', { what: 'the final ack' });
    expect(recorded.consumed.map(([, outcome]) => outcome)).toEqual(['retried', 'acked']);
    await consumer.stop();
    expect((await queueStats(connection, queue)).messageCount).toBe(0);
    await publisher.close();
  });
});
