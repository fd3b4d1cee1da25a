import { startTcpProxy, rabbitUrlWithPort, uniqueName, waitFor, withBrokerMemoryAlarm, type TcpProxy } from '@trendcast/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventConsumer, EventPublisher, PublishError, queueStats, RabbitConnection } from '../src/index.js';
import { onlyQueue, openConnection, recordingLogger, removeDeclaredAndClose, sampleEvent, trackProcessFailures } from './support.js';

const namespace = uniqueName('msgtest_flow');
let admin: RabbitConnection;
const queues: string[] = [];

beforeAll(async () => {
  admin = await openConnection('flow-control-admin');
});

afterAll(async () => {
  await removeDeclaredAndClose(admin, namespace, { queues, producers: ['users'] });
});

/** A consumer queue that is declared but not consumed, so what reaches it can be counted. */
async function countingQueue(): Promise<string> {
  const consumer = new EventConsumer(admin, { service: uniqueName('counted'), namespace, logger: recordingLogger() }).on('users.user.updated', async () => {});
  queues.push(...consumer.queueNames());
  await consumer.declareTopology();
  return onlyQueue(consumer).queue;
}

/** How long a promise took to settle, from now, and with what error. */
function timed(promise: Promise<void>): Promise<{ error: unknown; ms: number }> {
  const started = performance.now();
  return promise.then(() => ({ error: undefined, ms: performance.now() - started }), (error: unknown) => ({ error, ms: performance.now() - started }));
}

describe('broker flow control', () => {
  it('when the broker blocks the connection, then publishing fails fast within its deadline and no failed publish leaves a copy behind', { timeout: 60_000 }, async () => {
    // Arrange
    const processFailures = trackProcessFailures();
    const queue = await countingQueue();
    const connection = await openConnection('flow-control-blocked');
    const publisher = new EventPublisher(connection, { namespace, confirmTimeoutMs: 1_500 });
    await publisher.publish(sampleEvent('users.user.updated')); // declares the exchange; 1 message in the queue
    const first = sampleEvent('users.user.updated');
    const during = Array.from({ length: 200 }, () => sampleEvent('users.user.updated'));

    // Act
    const outcome = await withBrokerMemoryAlarm(async () => {
      // The broker blocks a connection only once it publishes: this first event is written, then held.
      const firstSettled = timed(publisher.publish(first));
      await waitFor(() => connection.isBlocked(), { what: 'connection.blocked', timeoutMs: 10_000 });
      const duringSettled = await Promise.all(during.map((event) => timed(publisher.publish(event))));
      const retryOfFirst = await timed(publisher.publish(first));
      const unconfirmedWhileBlocked = publisher.unconfirmed();
      return { first: await firstSettled, during: duringSettled, retryOfFirst, unconfirmedWhileBlocked };
    });
    // The held copy of the first event is confirmed once the broker reads again.
    await waitFor(() => publisher.unconfirmed() === 0, { what: 'the late confirm', timeoutMs: 10_000 });
    // What a relay does next: publish everything that failed again.
    await Promise.all([first, ...during].map((event) => publisher.publish(event)));

    // Assert: fast failures, the deadline kept, nothing buffered, and each event in the queue once.
    expect(outcome.during.every(({ error }) => error instanceof PublishError && error.failure === 'broker-blocked')).toBe(true);
    expect(Math.max(...outcome.during.map(({ ms }) => ms))).toBeLessThan(300);
    expect(outcome.retryOfFirst.error).toMatchObject({ failure: 'broker-blocked' });
    expect(outcome.first.error).toBeInstanceOf(PublishError);
    expect(outcome.first.ms).toBeLessThan(1_500 + 500);
    expect(outcome.unconfirmedWhileBlocked).toBe(1);
    await waitFor(async () => (await queueStats(admin, queue)).messageCount === 1 + 1 + during.length, { what: 'every event once', timeoutMs: 5_000 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await queueStats(admin, queue)).messageCount).toBe(1 + 1 + during.length);
    expect(processFailures.failures).toEqual([]);
    processFailures.dispose();
    await publisher.close();
    await connection.close();
  });

  it('when the socket stops draining, then every publish settles by its deadline, what it holds stays bounded, and what it never wrote is never sent', { timeout: 60_000 }, async () => {
    // Arrange
    const proxy: TcpProxy = await startTcpProxy(5672);
    const queue = await countingQueue();
    const connection = new RabbitConnection({ url: rabbitUrlWithPort(proxy.port), name: 'flow-control-stalled', logger: recordingLogger(), heartbeatSeconds: 60 });
    await connection.start();
    const maxUnconfirmedBytes = 1024 * 1024;
    const publisher = new EventPublisher(connection, { namespace, confirmTimeoutMs: 2_000, maxUnconfirmedBytes });
    await publisher.publish(sampleEvent('users.user.updated'));
    // 300 events of 64 KB (a large display name): 19 MB, far more than the publisher may hold unconfirmed.
    const events = Array.from({ length: 300 }, () => {
      const event = sampleEvent('users.user.updated');
      return { ...event, data: { ...event.data, displayName: 'x'.repeat(64 * 1024) } };
    });

    // Act
    proxy.stall();
    const settled = await Promise.all(events.map((event) => timed(publisher.publish(event))));
    const writtenWhileStalled = publisher.unconfirmed();
    const heldWhileStalled = publisher.unconfirmedBytes();
    proxy.unstall();
    await waitFor(() => publisher.unconfirmed() === 0, { what: 'the late confirms', timeoutMs: 20_000 });
    // What a relay does next, a batch at a time: publish everything that failed again.
    for (let i = 0; i < events.length; i += 50) await Promise.all(events.slice(i, i + 50).map((event) => publisher.publish(event)));

    // Assert
    expect(settled.every(({ error }) => error instanceof PublishError)).toBe(true);
    // Each settles at its deadline (without the deadline on the drain wait, those never written would wait
    // for the stall to end: for ever here, since the test ends the stall only once all have settled).
    expect(Math.max(...settled.map(({ ms }) => ms))).toBeLessThan(2_000 + 500);
    const neverWritten = settled.filter(({ error }) => /waiting for (the socket to drain|confirms of the messages already written)/.test((error as Error).message)).length;
    expect(neverWritten).toBe(events.length - writtenWhileStalled);
    expect(writtenWhileStalled).toBeGreaterThan(0);
    // Memory stays bounded: what the process held for the stalled broker never passed the bound.
    expect(heldWhileStalled).toBeLessThanOrEqual(maxUnconfirmedBytes);
    await waitFor(async () => (await queueStats(admin, queue)).messageCount === 1 + events.length, { what: 'every event once', timeoutMs: 10_000 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await queueStats(admin, queue)).messageCount).toBe(1 + events.length);
    await publisher.close();
    await connection.close();
    await proxy.close();
  });
});
