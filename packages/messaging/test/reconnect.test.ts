import type { DomainEvent } from '@trendcast/events';
import { rabbitUrlWithPort, sleep, startTcpProxy, uniqueName, waitFor, type TcpProxy } from '@trendcast/testing';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  EventConsumer,
  EventPublisher,
  PublishError,
  deleteQueues,
  queueStats,
  RabbitConnection,
} from '../src/index.js';
import { onlyQueue, openConnection, recordingLogger, recordingMetrics, removeDeclaredAndClose, sampleEvent, trackProcessFailures } from './support.js';

const namespace = uniqueName('msgtest_reconnect');
let direct: RabbitConnection;
let proxy: TcpProxy;
const queues: string[] = [];
const opened: RabbitConnection[] = [];
let processFailures: ReturnType<typeof trackProcessFailures>;

/** A connection that goes through the proxy, so the test can break its network. */
function proxiedConnection(name: string, metrics?: { onReconnect(): void }): RabbitConnection {
  const connection = new RabbitConnection({
    url: rabbitUrlWithPort(proxy.port),
    name,
    logger: recordingLogger(),
    minReconnectDelayMs: 50,
    maxReconnectDelayMs: 400,
    connectTimeoutMs: 2_000,
    ...(metrics ? { metrics } : {}),
  });
  opened.push(connection);
  return connection;
}

beforeAll(async () => {
  direct = await openConnection('reconnect-test-direct');
});

beforeEach(async () => {
  proxy = await startTcpProxy(5672);
  processFailures = trackProcessFailures();
});

afterEach(async () => {
  processFailures.dispose();
  for (const connection of opened.splice(0)) await connection.close();
  await proxy.close();
});

afterAll(async () => {
  await removeDeclaredAndClose(direct, namespace, { queues, producers: ['users', 'trends'] });
});

describe('connection loss', () => {
  it('when the network is cut twice mid-stream, then every one of 500 events is handled and none is lost', async () => {
    // Arrange
    const handled = new Set<string>();
    let deliveries = 0;
    const consumerMetrics = recordingMetrics();
    const publisherMetrics = recordingMetrics();
    const consumerConnection = proxiedConnection('stream-consumer', consumerMetrics.metrics);
    const publisherConnection = proxiedConnection('stream-publisher', publisherMetrics.metrics);
    await Promise.all([consumerConnection.start(), publisherConnection.start()]);
    const consumer = new EventConsumer(consumerConnection, { service: uniqueName('stream'), namespace, logger: recordingLogger(), prefetch: 50 }).on(
      'users.user.registered',
      async (event) => {
        deliveries += 1;
        await sleep(1);
        handled.add(event.id); // the idempotent effect: a set keyed by event id
      },
    );
    queues.push(...consumer.queueNames());
    await consumer.start();
    const publisher = new EventPublisher(publisherConnection, { namespace });
    const events = Array.from({ length: 500 }, () => sampleEvent('users.user.registered'));

    // Act: a window of publishes in flight while the network is cut twice
    const confirms: Array<Promise<void>> = [];
    for (const [index, event] of events.entries()) {
      confirms.push(publisher.publish(event));
      if (index % 25 === 24) await sleep(10);
      if (index === 150) proxy.cutAll();
      if (index === 350) {
        // Cut again only once both are back, so the second cut hits live connections too.
        await waitFor(() => consumerConnection.isConnected() && publisherConnection.isConnected(), { what: 'both reconnected' });
        proxy.cutAll();
      }
    }
    await Promise.all(confirms);
    await waitFor(() => handled.size === events.length, { what: 'all 500 events handled', timeoutMs: 20_000 });

    // Assert
    expect(events.every((event) => handled.has(event.id))).toBe(true);
    expect(deliveries).toBeGreaterThanOrEqual(events.length);
    expect(consumerMetrics.recorded.reconnects).toBe(2);
    expect(publisherMetrics.recorded.reconnects).toBe(2);
    expect(processFailures.failures).toEqual([]);
    await consumer.stop(); // an unacked message would go back to the queue here
    const { queue } = onlyQueue(consumer);
    expect((await queueStats(direct, queue)).messageCount).toBe(0);
    expect((await queueStats(direct, `${queue}.dead-letter`)).messageCount).toBe(0);
    await publisher.close();
  });

  it('when the broker is unreachable for a while, then publisher and consumer reconnect with backoff and carry on, and nothing crashes', async () => {
    // Arrange
    // Keyed by event id: an ack cut off with the network means a redelivery.
    const received = new Map<string, DomainEvent>();
    const { metrics, recorded } = recordingMetrics();
    const connection = proxiedConnection('outage', metrics);
    await connection.start();
    const consumer = new EventConsumer(connection, { service: uniqueName('outage'), namespace, logger: recordingLogger() }).on('trends.search.completed', async (event) => {
      received.set(event.id, event);
    });
    queues.push(...consumer.queueNames());
    await consumer.start();
    const publisher = new EventPublisher(connection, { namespace, confirmTimeoutMs: 15_000 });
    const beforeOutage = sampleEvent('trends.search.completed');
    await publisher.publish(beforeOutage);
    await waitFor(() => received.size === 1, { what: 'the event sent before the outage' });

    // Act: cut every connection and refuse new ones for a while
    proxy.pause();
    proxy.cutAll();
    await waitFor(() => !connection.isConnected(), { what: 'the loss to be noticed' });
    const duringOutage = Array.from({ length: 20 }, () => sampleEvent('trends.search.completed'));
    let settled = 0;
    const confirms = duringOutage.map((event) => publisher.publish(event).finally(() => (settled += 1)));
    await sleep(700);
    const settledDuringOutage = settled;
    proxy.resume();
    await Promise.all(confirms);
    await waitFor(() => received.size === 21, { what: 'the events published during the outage', timeoutMs: 10_000 });

    // Assert
    expect(settledDuringOutage).toBe(0);
    expect(connection.isConnected()).toBe(true);
    expect(recorded.reconnects).toBe(1);
    expect([...received.keys()].sort()).toEqual([beforeOutage, ...duringOutage].map((event) => event.id).sort());
    expect(received.get(duringOutage[0]?.id ?? '')).toEqual(duringOutage[0]);
    expect(processFailures.failures).toEqual([]);
    await consumer.stop();
    await publisher.close();
  });

  it('when the broker stays unreachable past the time budget, then publish rejects with PublishError', async () => {
    // Arrange
    const { metrics, recorded } = recordingMetrics();
    const connection = proxiedConnection('unreachable');
    await connection.start();
    const publisher = new EventPublisher(connection, { namespace, metrics, confirmTimeoutMs: 400 });
    proxy.pause();
    proxy.cutAll();
    await waitFor(() => !connection.isConnected(), { what: 'the loss to be noticed' });

    // Act
    const outcome = publisher.publish(sampleEvent('users.user.deleted'));

    // Assert
    await expect(outcome).rejects.toBeInstanceOf(PublishError);
    expect(recorded.publishFailed).toEqual(['users.user.deleted']);
    expect(processFailures.failures).toEqual([]);
    await publisher.close();
  });

  it('when the broker is unreachable at start, then start() keeps trying and resolves once it is reachable', async () => {
    // Arrange
    proxy.pause();
    const connection = proxiedConnection('late-start');

    // Act
    let started = false;
    const starting = connection.start().then(() => (started = true));
    await sleep(300);
    const startedWhilePaused = started;
    proxy.resume();
    await starting;

    // Assert
    expect(startedWhilePaused).toBe(false);
    expect(connection.isConnected()).toBe(true);
    expect(processFailures.failures).toEqual([]);
  });

  it('when the connection is closed, then a publish waiting for it rejects at once instead of at its deadline', { timeout: 5_000 }, async () => {
    // Arrange
    const connection = proxiedConnection('closing');
    await connection.start();
    const publisher = new EventPublisher(connection, { namespace, confirmTimeoutMs: 60_000 });
    proxy.pause();
    proxy.cutAll();
    await waitFor(() => !connection.isConnected(), { what: 'the loss to be noticed' });
    const outcome = publisher.publish(sampleEvent('users.user.deleted'));

    // Act
    await connection.close();

    // Assert
    await expect(outcome).rejects.toBeInstanceOf(PublishError);
    expect(processFailures.failures).toEqual([]);
  });

  it('when the broker cancels the consumer because its queue was deleted, then the consumer declares it again and keeps consuming', async () => {
    // Arrange
    const received: string[] = [];
    const consumer = new EventConsumer(direct, { service: uniqueName('cancelled'), namespace, logger: recordingLogger() }).on('users.user.deleted', async (event) => {
      received.push(event.id);
    });
    queues.push(...consumer.queueNames());
    await consumer.start();
    const { queue } = onlyQueue(consumer);
    const publisher = new EventPublisher(direct, { namespace });

    // Act
    await deleteQueues(direct, [queue]);
    await waitFor(async () => (await queueStats(direct, queue).catch(() => undefined))?.consumerCount === 1, { what: 'the consumer to be back' });
    const event = sampleEvent('users.user.deleted');
    await publisher.publish(event);

    // Assert
    await waitFor(() => received.includes(event.id), { what: 'the event after the cancel' });
    expect(processFailures.failures).toEqual([]);
    await consumer.stop();
    await publisher.close();
  });
});
