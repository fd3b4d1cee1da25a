import { createEvent, type DomainEvent } from '@trendcast/events';
import { sampleEventData } from '@trendcast/events/samples';
import { deleteExchanges, deleteQueues, EventConsumer, EventPublisher, exchangeForType, RabbitConnection, silentLogger } from '@trendcast/messaging';
import { sleep, testEnv, uniqueName, waitFor } from '@trendcast/testing';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addToOutbox, listParkedRows, outboxBacklog, outboxMessages, OutboxRelay, replayParkedRows } from '../src/index.js';
import { createServiceDatabase, type ServiceDatabase } from './support/database.js';
import { numberedEvent } from './support/events.js';
import { recordingLogger } from './support/logger.js';

// One row that can never be published (its event is larger than the publisher allows) must not hold
// up the rows behind it: they go out with the latency they have without it, measured in the same test.
let service: ServiceDatabase;
let rabbit: RabbitConnection;
let consumer: EventConsumer;
const namespace = uniqueName('outbox_poison');
const arrivedAt = new Map<string, number>();

beforeAll(async () => {
  service = await createServiceDatabase('outbox_poison');
  rabbit = new RabbitConnection({ url: testEnv.rabbitUrl, name: 'outbox-poison', logger: silentLogger });
  await rabbit.start();
  consumer = new EventConsumer(rabbit, { service: 'poisonwatch', namespace, logger: silentLogger, prefetch: 200 }).on('trends.search.failed', async (event) => {
    if (!arrivedAt.has(event.id)) arrivedAt.set(event.id, performance.now());
  });
  await consumer.start();
});

afterAll(async () => {
  await consumer?.stop();
  await deleteQueues(rabbit, consumer.queueNames()).catch(() => {});
  await deleteExchanges(rabbit, [exchangeForType('trends.search.failed', namespace)]).catch(() => {});
  await rabbit?.close();
  await service?.close();
});

/** Commits `count` events ten per transaction every 20 ms (500/s), and returns when each committed. */
async function produce(count: number): Promise<Map<string, number>> {
  const committedAt = new Map<string, number>();
  for (let i = 0; i < count; i += 10) {
    const events = Array.from({ length: Math.min(10, count - i) }, (_, j) => numberedEvent(i + j));
    await service.db.transaction((tx) => addToOutbox(tx, events));
    const at = performance.now();
    for (const event of events) committedAt.set(event.id, at);
    await sleep(20);
  }
  return committedAt;
}

async function latencies(committedAt: Map<string, number>): Promise<{ p50: number; p99: number; max: number }> {
  await waitFor(() => [...committedAt.keys()].every((id) => arrivedAt.has(id)), { what: 'every event to arrive', timeoutMs: 60_000 });
  const values = [...committedAt].map(([id, at]) => arrivedAt.get(id)! - at).sort((a, b) => a - b);
  const at = (share: number) => values[Math.min(values.length - 1, Math.floor(share * values.length))]!;
  return { p50: at(0.5), p99: at(0.99), max: values.at(-1)! };
}

function tooLarge(): DomainEvent<'trends.search.failed'> {
  return createEvent('trends.search.failed', { ...sampleEventData['trends.search.failed'], reason: 'x'.repeat(1_000) }, { source: 'trends', correlationId: 'y'.repeat(200) });
}

describe('a poison row', () => {
  it('when one row is refused on every attempt, then it is parked while the 1 000 rows behind it go out with their usual latency, and a replay publishes it once fixed', { timeout: 120_000 }, async () => {
    // Arrange: a publisher that refuses events over 1 KB (as a broker refuses those over its limit).
    const strictPublisher = new EventPublisher(rabbit, { namespace, maxMessageBytes: 1_024 });
    const logger = recordingLogger();
    const relayOptions = { db: service.db, sql: service.client, logger, minRetryDelayMs: 200, maxRetryDelayMs: 30_000, maxRefusals: 4 };
    const relay = new OutboxRelay({ ...relayOptions, sink: strictPublisher });
    await relay.start();
    await strictPublisher.publish(numberedEvent(-1)); // declares the exchange before timing anything
    const baseline = await latencies(await produce(1_000));

    // Act: the poison row first, then the same 1 000 rows behind it
    const poison = tooLarge();
    await addToOutbox(service.db, poison);
    const withPoison = await latencies(await produce(1_000));
    await waitFor(async () => (await listParkedRows(service.db)).count === 1, { what: 'the row to be parked', timeoutMs: 30_000 });
    await relay.stop();

    // Assert: parked where an operator sees it, and the others unaffected
    const { rows } = await listParkedRows(service.db);
    expect(rows[0]).toMatchObject({ eventId: poison.id, type: poison.type, refusals: 4, attempts: 4 });
    expect(rows[0]?.lastError).toContain('over the 1024 bytes a message may have');
    expect(await outboxBacklog(service.db)).toMatchObject({ pending: 0, parked: 1 });
    expect(arrivedAt.has(poison.id)).toBe(false);
    expect(logger.entries.some((entry) => entry.msg?.includes('could not publish every event'))).toBe(false);
    console.info(`latency without the poison row p50 ${baseline.p50.toFixed(1)} ms, p99 ${baseline.p99.toFixed(1)} ms; with it p50 ${withPoison.p50.toFixed(1)} ms, p99 ${withPoison.p99.toFixed(1)} ms`);
    expect(withPoison.p50).toBeLessThan(Math.max(baseline.p50 * 3, baseline.p50 + 50));
    // p99 moves with every scheduling hiccup of a loaded machine; the stall this guards against
    // (the whole relay backing off behind the row) puts even the median seconds late.
    expect(withPoison.p99).toBeLessThan(Math.max(baseline.p99 * 3, baseline.p99 + 3_000));

    // Act: the operator raises the limit, then replays the parked row
    const publisher = new EventPublisher(rabbit, { namespace });
    const fixedRelay = new OutboxRelay({ ...relayOptions, sink: publisher });
    await fixedRelay.start();
    expect(await replayParkedRows(service.db)).toBe(1);

    // Assert
    await waitFor(() => arrivedAt.has(poison.id), { what: 'the replayed row', timeoutMs: 10_000 });
    await waitFor(async () => (await outboxBacklog(service.db)).pending === 0, { what: 'the row marked sent' });
    expect(await outboxBacklog(service.db)).toMatchObject({ pending: 0, parked: 0 });
    const [row] = await service.db.select().from(outboxMessages).where(eq(outboxMessages.eventId, poison.id));
    expect(row).toMatchObject({ parkedAt: null, refusals: 0 });
    expect(row?.sentAt).not.toBeNull();
    await fixedRelay.stop();
    await Promise.all([strictPublisher.close(), publisher.close()]);
  });
});
