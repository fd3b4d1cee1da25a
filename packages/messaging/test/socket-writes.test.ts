import { randomUUID } from 'node:crypto';
import { createEvent, type DomainEvent } from '@trendcast/events';
import { sampleEventData } from '@trendcast/events/samples';
import { countSocketWrites, testEnv, uniqueName, waitFor, type SocketWriteCounter } from '@trendcast/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { EventConsumer, EventPublisher, type RabbitConnection } from '../src/index.js';
import { openConnection, recordingLogger, recordingMetrics, removeDeclaredAndClose } from './support.js';

// Frames queued together must leave in one socket write (patches/amqplib+2.3.1.patch): a write per frame
// costs the client and the broker a system call and a wake-up per event.
const namespace = uniqueName('msgtest_writes');
const brokerPort = Number(new URL(testEnv.rabbitUrl).port || 5672);
const count = 200;
let connection: RabbitConnection;
const queues: string[] = [];

function failedSearch(i: number): DomainEvent<'trends.search.failed'> {
  return createEvent('trends.search.failed', { ...sampleEventData['trends.search.failed'], reason: `event ${i}` }, { source: 'trends', correlationId: randomUUID() });
}

let counter: SocketWriteCounter | undefined;

beforeAll(async () => {
  connection = await openConnection('socket-writes-test');
});

afterEach(() => counter?.stop());

afterAll(async () => {
  await removeDeclaredAndClose(connection, namespace, { queues, producers: ['trends'] });
});

describe('socket writes to the broker', () => {
  it('when a batch of events is published at once, then they leave in a few writes, not one per event', async () => {
    // Arrange
    const publisher = new EventPublisher(connection, { namespace });
    await publisher.publish(failedSearch(-1)); // opens the channel and declares the exchange
    const events = Array.from({ length: count }, (_, i) => failedSearch(i));
    counter = countSocketWrites(brokerPort);

    // Act
    await Promise.all(events.map((event) => publisher.publish(event)));
    counter.stop();

    // Assert
    expect(counter.writes).toBeGreaterThan(0);
    expect(counter.writes).toBeLessThan(count / 10);
    await publisher.close();
  });

  it('when a batch handler finishes the events delivered together, then their acks leave in a few writes', async () => {
    // Arrange
    const service = uniqueName('writes');
    const { metrics, recorded } = recordingMetrics();
    let handled = 0;
    const declaring = new EventConsumer(connection, { service, namespace, logger: recordingLogger() }).on('trends.search.failed', async () => {});
    queues.push(...declaring.queueNames());
    await declaring.start();
    await declaring.stop(); // the queue exists now; the events wait in it and arrive together
    const consumer = new EventConsumer(connection, { service, namespace, logger: recordingLogger(), metrics, prefetch: count }).onBatch(
      'trends.search.failed',
      async (events) => {
        handled += events.length;
      },
      { maxSize: count },
    );
    const publisher = new EventPublisher(connection, { namespace });
    await Promise.all(Array.from({ length: count }, (_, i) => publisher.publish(failedSearch(i))));
    await publisher.close();
    counter = countSocketWrites(brokerPort);

    // Act
    await consumer.start();
    await waitFor(() => recorded.consumed.length === count, { what: 'every event acked' });
    await consumer.stop();
    counter.stop();

    // Assert
    expect(handled).toBe(count);
    expect(counter.writes).toBeLessThan(count / 4);
  });
});
