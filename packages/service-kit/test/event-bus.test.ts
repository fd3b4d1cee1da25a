import { randomUUID } from 'node:crypto';
import { createEvent } from '@trendcast/events';
import {
  assertProducerExchange,
  consumerQueueName,
  deleteExchanges,
  deleteQueues,
  producerExchangeName,
  RabbitConnection,
  silentLogger,
  TopologyConflictError,
  withChannel,
} from '@trendcast/messaging';
import { rabbitUrlWithPort, startTcpProxy, testEnv, uniqueName, waitFor, type TcpProxy } from '@trendcast/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createEventBus, createLogger, createMetrics, stopInOrder, type EventBusConfig, type Stop } from '../src/index.js';
import { captureLogs } from './support/log-capture.js';

const namespace = uniqueName('kit_bus');
let admin: RabbitConnection;
const queues: string[] = [];
const cleanups: Array<() => Promise<unknown>> = [];

beforeAll(async () => {
  admin = new RabbitConnection({ url: testEnv.rabbitUrl, name: 'kit-bus-admin', logger: silentLogger });
  await admin.start();
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
});

afterAll(async () => {
  await deleteQueues(admin, queues).catch(() => undefined);
  await deleteExchanges(admin, [producerExchangeName('users', namespace)]).catch(() => undefined);
  await admin?.close();
});

function busFor(o: { service?: string; url?: string; env?: Partial<EventBusConfig> } = {}) {
  const logs = captureLogs();
  const logger = createLogger({ service: 'kitbus', level: 'debug', destination: logs.stream });
  const config: EventBusConfig = {
    RABBITMQ_URL: o.url ?? testEnv.rabbitUrl,
    RABBITMQ_NAMESPACE: namespace,
    EVENT_HANDLER_TIMEOUT_MS: 60_000,
    SHUTDOWN_TIMEOUT_MS: 25_000,
    ...o.env,
  };
  const bus = createEventBus(config, { service: o.service ?? uniqueName('svc'), logger, metrics: createMetrics('kitbus', { defaultMetrics: false }), startTimeoutMs: 10_000 });
  cleanups.push(() => stopInOrder(bus.stops(), { logger, timeoutMs: 10_000 }));
  return { bus, logs, logger };
}

const userDeleted = () => createEvent('users.user.deleted', { userId: randomUUID() }, { source: 'users', correlationId: randomUUID() });

describe('createEventBus', () => {
  it('when a service publishes and consumes through the bus, then its exchange and queues carry the namespace and a handler past EVENT_HANDLER_TIMEOUT_MS is aborted and retried', async () => {
    // Arrange: a handler that hangs on its first attempt until its deadline aborts it.
    const service = uniqueName('deadline');
    const { bus } = busFor({ service, env: { EVENT_HANDLER_TIMEOUT_MS: 300 } });
    const attempts: Array<{ attempt: number; abortedAfterMs?: number }> = [];
    const consumer = bus.consumer().on('users.user.deleted', async (_event, { attempt, signal }) => {
      const began = performance.now();
      if (attempt > 1) return void attempts.push({ attempt });
      await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
      attempts.push({ attempt, abortedAfterMs: performance.now() - began });
    });
    queues.push(...consumer.queueNames());
    await bus.start();

    // Act
    await bus.publisher.publish(userDeleted());

    // Assert
    await waitFor(() => attempts.length === 2, { what: 'the second attempt', timeoutMs: 15_000 });
    expect(consumer.queues().map(({ exchange, queue }) => ({ exchange, queue }))).toEqual([
      { exchange: `${namespace}.users.events`, queue: consumerQueueName(service, 'users', namespace) },
    ]);
    expect(attempts.map(({ attempt }) => attempt)).toEqual([1, 2]);
    expect(attempts[0]!.abortedAfterMs).toBeGreaterThanOrEqual(250);
    expect(attempts[0]!.abortedAfterMs).toBeLessThan(5_000);
    await expect(bus.checkReady()).resolves.toBeUndefined();
  });

  it('when its consumer queue was declared by an earlier version, then start fails at once naming the queue and the migration step, readiness says the same, and after migrateQueues the next start succeeds', async () => {
    // Arrange: the queue as a classic queue, as versions before quorum queues declared it.
    const service = uniqueName('conflict');
    const queue = consumerQueueName(service, 'users', namespace);
    await withChannel(admin, (channel) => channel.assertQueue(queue, { durable: true }));
    const first = busFor({ service });
    queues.push(...first.bus.consumer().on('users.user.deleted', async () => undefined).queueNames());

    // Act
    const startedAt = performance.now();
    const failure = await first.bus.start().then(() => undefined, (error: unknown) => error);
    const tookMs = performance.now() - startedAt;

    // Assert
    expect(tookMs).toBeLessThan(5_000);
    expect(failure).toBeInstanceOf(TopologyConflictError);
    const message = (failure as Error).message;
    expect(message).toContain(`queue "${queue}" already exists on the broker`);
    expect(message).toContain(`npm run migrate:queues -w @trendcast/${service}`);
    await expect(first.bus.checkReady()).rejects.toThrow(message);

    // Act: the operator's one-shot step, then a new instance.
    const migrator = busFor({ service });
    migrator.bus.consumer().on('users.user.deleted', async () => undefined);
    const moved = await migrator.bus.migrateQueues();
    const next = busFor({ service });
    next.bus.consumer().on('users.user.deleted', async () => undefined);
    await next.bus.start();

    // Assert
    expect(moved.find((migration) => migration.queue === queue)).toMatchObject({ outcome: 'migrated' });
    await expect(next.bus.checkReady()).resolves.toBeUndefined();
  });

  it('when a service only publishes, then start does not wait for an unreachable broker, readiness names the connection, and its events go out once the broker is back', async () => {
    // Arrange
    const proxy = await startTcpProxy(5672);
    cleanups.push(() => proxy.close());
    proxy.pause();
    const { bus } = busFor({ url: rabbitUrlWithPort(proxy.port) });
    const tap = await tapUsersEvents();
    cleanups.push(() => tap.close());

    // Act
    const startedAt = performance.now();
    await bus.start();
    const startMs = performance.now() - startedAt;
    const notReady = await bus.checkReady().then(() => 'ready', (error: Error) => error.message);
    const event = userDeleted();
    const published = bus.publisher.publish(event);
    proxy.resume();

    // Assert
    expect(startMs).toBeLessThan(1_000);
    expect(notReady).toMatch(/RabbitMQ connection .*:publish is down/);
    await published;
    await waitFor(() => tap.ids.includes(event.id), { what: 'the event on the namespaced exchange' });
    await waitFor(() => bus.checkReady().then(() => true), { what: 'ready once the broker is back' });
  });

  it('when the broker stops answering during shutdown, then every stop step ends within its share of SHUTDOWN_TIMEOUT_MS, even a relay that ignores its timeout, and the steps after them run', async () => {
    // Arrange: a consumer with a handler in flight, a relay whose stop never ends, a pruner.
    const shutdownTimeoutMs = 5_000;
    const proxy: TcpProxy = await startTcpProxy(5672);
    cleanups.push(() => proxy.close());
    const { bus, logs, logger } = busFor({ url: rabbitUrlWithPort(proxy.port), env: { SHUTDOWN_TIMEOUT_MS: shutdownTimeoutMs } });
    let handling = false;
    queues.push(
      ...bus
        .consumer()
        .on('users.user.deleted', async () => {
          handling = true;
          await new Promise(() => undefined);
        })
        .queueNames(),
    );
    const relay = { start: async () => undefined, stop: () => new Promise<void>(() => undefined) };
    const pruner = { start: () => undefined, stop: async () => undefined };
    await bus.start({ relay, pruner });
    await bus.publisher.publish(userDeleted());
    await waitFor(() => handling, { what: 'the handler to start' });
    const after: string[] = [];

    // Act: sockets stay open but nothing gets through.
    proxy.stall();
    proxy.pause();
    const stops: Stop[] = [...bus.stops({ relay, pruner, workers: [['worker', async () => void after.push('worker')]] }), ['database', async () => void after.push('database')]];
    const began = performance.now();
    const clean = await stopInOrder(stops, { logger, timeoutMs: shutdownTimeoutMs });
    const tookMs = performance.now() - began;
    proxy.unstall();
    proxy.resume();

    // Assert
    expect(clean).toBe(true);
    expect(tookMs).toBeLessThan(shutdownTimeoutMs);
    expect(after).toEqual(['worker', 'database']);
    const tookByStep = Object.fromEntries(logs.lines().filter((line) => line.msg === `stopped ${String(line.stop)}`).map((line) => [line.stop, line.ms as number]));
    expect(Object.keys(tookByStep)).toEqual(['event consumer', 'inbox pruner', 'worker', 'outbox relay', 'rabbitmq', 'database']);
    const slackMs = 150;
    expect(tookByStep['event consumer']).toBeLessThanOrEqual(bus.budget.consumers + slackMs);
    expect(tookByStep['outbox relay']).toBeLessThanOrEqual(bus.budget.relay + slackMs);
    expect(tookByStep.rabbitmq).toBeLessThanOrEqual(bus.budget.publisher + bus.budget.connections + slackMs);
    expect(logs.lines().some((line) => line.msg === `outbox relay did not stop within ${bus.budget.relay} ms; going on without it`)).toBe(true);
  });
});

/** A temporary queue on the namespaced users.events exchange, keeping the ids of what arrives. */
async function tapUsersEvents(): Promise<{ ids: string[]; close(): Promise<void> }> {
  const exchange = producerExchangeName('users', namespace);
  const queue = uniqueName('kit_bus_tap');
  const ids: string[] = [];
  const live = await admin.waitForConnection();
  const channel = await live.createChannel();
  await assertProducerExchange(channel, exchange);
  await channel.assertQueue(queue, { exclusive: true, autoDelete: true });
  await channel.bindQueue(queue, exchange, '#');
  await channel.consume(queue, (message) => message && ids.push(String(message.properties.messageId)), { noAck: true });
  return { ids, close: () => channel.close() };
}
