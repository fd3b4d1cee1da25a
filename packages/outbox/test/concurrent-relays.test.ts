import type { DomainEvent } from '@trendcast/events';
import { sleep, uniqueName, waitFor } from '@trendcast/testing';
import { isNull } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addToOutbox, outboxMessages, OutboxRelay, type EventSink } from '../src/index.js';
import { createServiceDatabase, type ServiceDatabase } from './support/database.js';
import { numberedEvent, seqOf } from './support/events.js';
import { recordingLogger } from './support/logger.js';
import { collectFrom, ConfirmingSink, deleteExchange } from './support/rabbit.js';

let service: ServiceDatabase;
let exchange: string;
const sinks: ConfirmingSink[] = [];

beforeAll(async () => {
  service = await createServiceDatabase('outbox_two');
  exchange = uniqueName('outbox_two');
});

afterAll(async () => {
  await Promise.all(sinks.map((sink) => sink.close()));
  await deleteExchange(exchange);
  await service?.close();
});

/** A relay as a second instance of the service would run it: its own pool, its own broker connection. */
async function startInstance(): Promise<{ relay: OutboxRelay; published: DomainEvent[] }> {
  const { client, db } = service.connect();
  const sink = await ConfirmingSink.open(exchange);
  sinks.push(sink);
  const published: DomainEvent[] = [];
  const counting: EventSink = {
    publish: async (event) => {
      await sink.publish(event);
      published.push(event);
    },
  };
  // A short poll and small batches make the two contend for the outbox as often as possible.
  const relay = new OutboxRelay({ db, sql: client, sink: counting, logger: recordingLogger(), batchSize: 25, pollIntervalMs: 5 });
  await relay.start();
  return { relay, published };
}

describe('two relays at once', () => {
  it('when two relays run over the same outbox while events keep coming, then each event is published once, in order', async () => {
    // Arrange
    const collector = await collectFrom(exchange);
    const [first, second] = await Promise.all([startInstance(), startInstance()]);
    const total = 1_200;

    // Act: transactions of 10 events, committed one after another while both relays run.
    for (let start = 0; start < total; start += 10) {
      const events = Array.from({ length: 10 }, (_, i) => numberedEvent(start + i));
      await service.db.transaction((tx) => addToOutbox(tx, events));
      if (start % 200 === 0) await sleep(20);
    }
    await waitFor(() => collector.received.length >= total, { timeoutMs: 30_000, what: `${total} events` });
    await sleep(300); // room for any duplicate to show up
    await Promise.all([first.relay.stop(), second.relay.stop()]);

    // Assert
    const ids = collector.received.map((event) => event.id);
    expect(ids).toHaveLength(total);
    expect(new Set(ids).size).toBe(total);
    expect(collector.received.map(seqOf)).toEqual(Array.from({ length: total }, (_, i) => i));
    expect(first.published.length + second.published.length).toBe(total);
    // Both took turns, so the exclusion was really exercised.
    expect(first.published.length).toBeGreaterThan(0);
    expect(second.published.length).toBeGreaterThan(0);
    expect(await service.db.select().from(outboxMessages).where(isNull(outboxMessages.sentAt))).toEqual([]);
    await collector.close();
  });
});
