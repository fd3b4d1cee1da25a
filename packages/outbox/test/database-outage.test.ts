import { startTcpProxy, uniqueName, waitFor, type TcpProxy } from '@trendcast/testing';
import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addToOutbox, OutboxRelay, outboxBacklog } from '../src/index.js';
import { createServiceDatabase, type ServiceDatabase } from './support/database.js';
import { numberedEvent, seqOf } from './support/events.js';
import { recordingLogger } from './support/logger.js';
import { collectFrom, ConfirmingSink, deleteExchange } from './support/rabbit.js';

let service: ServiceDatabase;
let proxy: TcpProxy;
let exchange: string;
let sink: ConfirmingSink;

beforeAll(async () => {
  service = await createServiceDatabase('outbox_outage');
  proxy = await startTcpProxy(Number(new URL(service.database.url).port || 5432));
  exchange = uniqueName('outbox_outage');
  sink = await ConfirmingSink.open(exchange);
});

afterAll(async () => {
  await sink?.close();
  await deleteExchange(exchange);
  await proxy?.close();
  await service?.close();
});

describe('database outage', () => {
  it('when the relay loses its database for a while, then it retries with backoff and publishes everything, in order, once back', async () => {
    // Arrange: the relay reaches PostgreSQL through a proxy the test can cut; producers do not.
    const url = new URL(service.database.url);
    url.port = String(proxy.port);
    const relayClient = postgres(url.toString(), { max: 2, onnotice: () => {}, connect_timeout: 2 });
    const logger = recordingLogger();
    const relay = new OutboxRelay({ db: drizzle(relayClient), sql: relayClient, sink, logger, minRetryDelayMs: 50, maxRetryDelayMs: 200 });
    const collector = await collectFrom(exchange);
    await relay.start();
    const events = Array.from({ length: 30 }, (_, i) => numberedEvent(i));
    await addToOutbox(service.db, events.slice(0, 10));
    await waitFor(() => collector.received.length >= 10, { what: 'the first events' });
    // Marked sent, too: a batch published but not yet marked when the database goes is rightly
    // published again afterwards (consumers' inboxes absorb that), which is not what this test is about.
    await waitFor(async () => (await outboxBacklog(service.db)).pending === 0, { what: 'the first events marked sent' });

    // Act
    proxy.pause();
    proxy.cutAll();
    await addToOutbox(service.db, events.slice(10, 20));
    await waitFor(() => logger.entries.some((entry) => entry.level === 'error'), { what: 'a failed batch' });
    await addToOutbox(service.db, events.slice(20));
    proxy.resume();

    // Assert
    await waitFor(() => collector.received.length >= events.length, { timeoutMs: 20_000, what: 'every event after the outage' });
    expect(collector.received.map(seqOf)).toEqual(events.map((_, i) => i));
    await relay.stop();
    await relayClient.end({ timeout: 1 });
    await collector.close();
  });
});
