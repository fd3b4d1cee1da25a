import { randomUUID } from 'node:crypto';
import { createEvent, producerOf, type DomainEvent, type EventType } from '@trendcast/events';
import { sampleEventData } from '@trendcast/events/samples';
import { testEnv } from '@trendcast/testing';
import type { ConsumeOutcome, MessagingLogger, MessagingMetrics } from '../src/index.js';
import { RabbitConnection, deleteExchanges, deleteQueues, producerExchangeName, withChannel, type ConsumerQueue, type EventConsumer } from '../src/index.js';

export interface LogEntry {
  level: 'debug' | 'info' | 'warn' | 'error';
  message: string | undefined;
  bindings: Record<string, unknown>;
}

/** A logger that keeps what it is told, so tests can assert on warnings. */
export function recordingLogger(entries: LogEntry[] = [], bound: Record<string, unknown> = {}): MessagingLogger & { entries: LogEntry[] } {
  const log =
    (level: LogEntry['level']) =>
    (first: object | string, message?: string): void => {
      if (typeof first === 'string') entries.push({ level, message: first, bindings: bound });
      else entries.push({ level, message, bindings: { ...bound, ...first } });
    };
  return {
    entries,
    debug: log('debug'),
    info: log('info'),
    warn: log('warn'),
    error: log('error'),
    child: (bindings) => recordingLogger(entries, { ...bound, ...bindings }),
  };
}

export function recordingMetrics() {
  const recorded = { published: [] as string[], publishFailed: [] as string[], consumed: [] as Array<[string, ConsumeOutcome]>, reconnects: 0 };
  const metrics: Required<MessagingMetrics> = {
    onPublish: (type) => recorded.published.push(type),
    onPublishFailed: (type) => recorded.publishFailed.push(type),
    onConsume: (type, outcome) => recorded.consumed.push([type, outcome]),
    onReconnect: () => (recorded.reconnects += 1),
  };
  return { metrics, recorded };
}

export async function openConnection(name: string, url = testEnv.rabbitUrl, logger: MessagingLogger = recordingLogger()): Promise<RabbitConnection> {
  const connection = new RabbitConnection({ url, name, logger, minReconnectDelayMs: 50, maxReconnectDelayMs: 500, connectTimeoutMs: 2_000 });
  await connection.start();
  return connection;
}

/** What a test file declared on the broker, removed: its consumers' queues and its producers' exchanges; then the connection closed. */
export async function removeDeclaredAndClose(connection: RabbitConnection, namespace: string, declared: { queues: string[]; producers: string[] }): Promise<void> {
  await deleteQueues(connection, declared.queues);
  await deleteExchanges(connection, declared.producers.map((producer) => producerExchangeName(producer, namespace)));
  await connection.close();
}

/** A valid event of `type` with the catalogue's sample data and a fresh id. */
export function sampleEvent<T extends EventType>(type: T): DomainEvent<T> {
  return createEvent(type, sampleEventData[type], { source: producerOf(type), correlationId: randomUUID(), causationId: randomUUID() });
}

/** Publishes raw bytes, bypassing EventPublisher, as a broken or foreign producer would. */
export async function publishRaw(connection: RabbitConnection, exchange: string, routingKey: string, body: string | Buffer): Promise<void> {
  await withChannel(connection, async (channel) => {
    channel.publish(exchange, routingKey, Buffer.isBuffer(body) ? body : Buffer.from(body), { persistent: true, contentType: 'application/json' });
    await channel.waitForConfirms();
  });
}

/** Records every uncaught exception and unhandled rejection of this test process. */
export function trackProcessFailures() {
  const failures: unknown[] = [];
  const record = (error: unknown) => failures.push(error);
  process.on('uncaughtException', record);
  process.on('unhandledRejection', record);
  return {
    failures,
    dispose() {
      process.off('uncaughtException', record);
      process.off('unhandledRejection', record);
    },
  };
}

/** The one queue of a consumer that subscribes to a single producer. */
export function onlyQueue(consumer: EventConsumer): ConsumerQueue {
  const [queue, ...others] = consumer.queues();
  if (!queue || others.length > 0) throw new Error('expected a consumer of exactly one producer');
  return queue;
}
