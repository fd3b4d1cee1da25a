import { randomUUID } from 'node:crypto';
import { createEvent, type DomainEvent } from '@trendcast/events';
import { sampleEventData } from '@trendcast/events/samples';
import { uniqueName, waitFor } from '@trendcast/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  EventConsumer,
  EventPublisher,
  inspectDeadLetters,
  queueStats,
  type RabbitConnection,
} from '../src/index.js';
import { onlyQueue, openConnection, recordingLogger, recordingMetrics, removeDeclaredAndClose } from './support.js';

const namespace = uniqueName('msgtest_batch');
let connection: RabbitConnection;
let publisher: EventPublisher;
const queues: string[] = [];

beforeAll(async () => {
  connection = await openConnection('batch-test');
  publisher = new EventPublisher(connection, { namespace });
});

afterAll(async () => {
  await publisher.close();
  await removeDeclaredAndClose(connection, namespace, { queues, producers: ['trends'] });
});

function failedSearch(reason: string): DomainEvent<'trends.search.failed'> {
  return createEvent('trends.search.failed', { ...sampleEventData['trends.search.failed'], reason }, { source: 'trends', correlationId: randomUUID() });
}

/** Declares the consumer's queue and leaves it unconsumed, so events published next wait there together. */
async function declareQueue(service: string): Promise<void> {
  const declaring = new EventConsumer(connection, { service, namespace, logger: recordingLogger() }).on('trends.search.failed', async () => {});
  queues.push(...declaring.queueNames());
  await declaring.start();
  await declaring.stop();
}

describe('batch handlers', () => {
  it('when events wait in the queue, then the batch handler gets them together, in order, at most maxSize a call, and all are acked', async () => {
    // Arrange
    const service = uniqueName('batching');
    await declareQueue(service);
    const sent = Array.from({ length: 10 }, (_, i) => failedSearch(`event ${i}`));
    for (const event of sent) await publisher.publish(event);
    const calls: Array<{ reasons: string[]; attempts: readonly number[] }> = [];
    const { metrics, recorded } = recordingMetrics();
    const consumer = new EventConsumer(connection, { service, namespace, logger: recordingLogger(), metrics, prefetch: 20 }).onBatch(
      'trends.search.failed',
      async (events, { attempts }) => {
        calls.push({ reasons: events.map((event) => event.data.reason), attempts });
      },
      { maxSize: 4 },
    );

    // Act
    await consumer.start();
    await waitFor(() => recorded.consumed.length === sent.length, { what: 'every event acked' });
    await consumer.stop();

    // Assert
    expect(calls.flatMap((call) => call.reasons)).toEqual(sent.map((event) => event.data.reason));
    expect(Math.max(...calls.map((call) => call.reasons.length))).toBe(4);
    expect(calls.every((call) => call.attempts.every((attempt) => attempt === 1))).toBe(true);
    expect(recorded.consumed.every(([type, outcome]) => type === 'trends.search.failed' && outcome === 'acked')).toBe(true);
    expect(await queueStats(connection, onlyQueue(consumer).queue)).toEqual({ messageCount: 0, consumerCount: 0 });
  });

  it('when a batch fails because of one event, then the others are handled one at a time and only that one is dead-lettered', async () => {
    // Arrange
    const service = uniqueName('batchpoison');
    await declareQueue(service);
    const sent = ['good 1', 'poison', 'good 2', 'good 3'].map(failedSearch);
    for (const event of sent) await publisher.publish(event);
    const handled: string[] = [];
    const batches: string[][] = [];
    const { metrics, recorded } = recordingMetrics();
    const consumer = new EventConsumer(connection, { service, namespace, logger: recordingLogger(), metrics, maxAttempts: 1 }).onBatch(
      'trends.search.failed',
      async (events) => {
        batches.push(events.map((event) => event.data.reason));
        if (events.some((event) => event.data.reason === 'poison')) throw new Error('refused by the downstream service');
        handled.push(...events.map((event) => event.data.reason));
      },
    );

    // Act
    await consumer.start();
    await waitFor(() => recorded.consumed.length === sent.length, { what: 'every event settled' });
    await consumer.stop();

    // Assert
    // The broker may deliver the four in more than one socket read, so in more than one batch, and
    // batches run side by side: which batches formed, and the order across them, vary.
    expect(handled.toSorted()).toEqual(['good 1', 'good 2', 'good 3']);
    const withPoison = batches.filter((batch) => batch.includes('poison'));
    expect(withPoison.at(-1)).toEqual(['poison']);
    if (withPoison.length > 1) expect(withPoison[0]!.length).toBeGreaterThan(1);
    expect(recorded.consumed.filter(([, outcome]) => outcome === 'dead_lettered')).toHaveLength(1);
    const { queue } = onlyQueue(consumer);
    const listing = await inspectDeadLetters(connection, queue);
    expect(listing.messages.map((message) => message.messageId)).toEqual([sent[1]!.id]);
    expect(listing.messages[0]).toMatchObject({ reason: 'max-attempts', error: 'Error: refused by the downstream service' });
    expect((await queueStats(connection, queue)).messageCount).toBe(0);
  });

  it('when a type has a batch handler and another a single one, then each event reaches its own handler', async () => {
    // Arrange
    const service = uniqueName('batchmixed');
    const singles: string[] = [];
    const batched: string[] = [];
    const consumer = new EventConsumer(connection, { service, namespace, logger: recordingLogger() })
      .onBatch('trends.search.failed', async (events) => {
        batched.push(...events.map((event) => event.id));
      })
      .on('trends.search.completed', async (event) => {
        singles.push(event.id);
      });
    queues.push(...consumer.queueNames());
    await consumer.start();
    const failed = failedSearch('mixed');
    const completed = createEvent('trends.search.completed', sampleEventData['trends.search.completed'], { source: 'trends', correlationId: randomUUID() });

    // Act
    await Promise.all([publisher.publish(failed), publisher.publish(completed)]);
    await waitFor(() => singles.length + batched.length === 2, { what: 'both events handled' });
    await consumer.stop();

    // Assert
    expect({ singles, batched }).toEqual({ singles: [completed.id], batched: [failed.id] });
  });

  it('when a handler is registered twice for a type or maxSize is not a positive integer, then onBatch refuses', () => {
    // Arrange
    const consumer = new EventConsumer(connection, { service: uniqueName('batchrefuse'), namespace, logger: recordingLogger() }).on('trends.search.failed', async () => {});

    // Act / Assert
    expect(() => consumer.onBatch('trends.search.failed', async () => {})).toThrow('already registered');
    expect(() => consumer.onBatch('trends.search.completed', async () => {}, { maxSize: 0 })).toThrow('maxSize');
  });
});
