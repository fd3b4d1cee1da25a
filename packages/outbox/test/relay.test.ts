import type { DomainEvent } from '@trendcast/events';
import { sleep, uniqueName, waitFor } from '@trendcast/testing';
import { inArray, isNull } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { addToOutbox, outboxBacklog, outboxMessages, OutboxRelay, type EventSink } from '../src/index.js';
import { createServiceDatabase, type ServiceDatabase } from './support/database.js';
import { numberedEvent, seqOf } from './support/events.js';
import { recordingLogger } from './support/logger.js';
import { collectFrom, ConfirmingSink, deleteExchange } from './support/rabbit.js';

let service: ServiceDatabase;
let exchange: string;
let sink: ConfirmingSink;
let relay: OutboxRelay | undefined;

beforeAll(async () => {
  service = await createServiceDatabase('outbox_relay');
  exchange = uniqueName('outbox_relay');
  sink = await ConfirmingSink.open(exchange);
});

afterEach(async () => {
  await relay?.stop();
  relay = undefined;
  // Each test starts from an empty outbox.
  await service.db.delete(outboxMessages);
});

afterAll(async () => {
  await sink?.close();
  await deleteExchange(exchange);
  await service?.close();
});

async function rowsOf(events: DomainEvent[]) {
  return service.db
    .select()
    .from(outboxMessages)
    .where(inArray(outboxMessages.eventId, events.map((event) => event.id)))
    .orderBy(outboxMessages.position);
}

describe('OutboxRelay', () => {
  it('when rows are pending, then it publishes them in order to the real exchange and marks them sent', async () => {
    // Arrange
    const collector = await collectFrom(exchange);
    const events = Array.from({ length: 50 }, (_, i) => numberedEvent(i));
    for (const chunk of [events.slice(0, 20), events.slice(20)]) {
      await service.db.transaction((tx) => addToOutbox(tx, chunk));
    }
    relay = new OutboxRelay({ db: service.db, sql: service.client, sink, logger: recordingLogger(), batchSize: 16 });

    // Act
    await relay.start();

    // Assert
    await waitFor(() => collector.received.length >= events.length, { what: 'all events to arrive' });
    expect(collector.received.map(seqOf)).toEqual(events.map((_, i) => i));
    expect(collector.received).toEqual(events);
    const rows = await rowsOf(events);
    await waitFor(async () => (await rowsOf(events)).every((row) => row.sentAt !== null), { what: 'rows marked sent' });
    expect(rows.every((row) => row.attempts === 0 && row.lastError === null)).toBe(true);
    expect(await outboxBacklog(service.db)).toMatchObject({ pending: 0, oldestPendingAgeMs: null });
    await collector.close();
  });

  it('when the relay polls rarely, then a notify from the committing transaction wakes it for a new event', async () => {
    // Arrange
    const collector = await collectFrom(exchange);
    relay = new OutboxRelay({ db: service.db, sql: service.client, sink, logger: recordingLogger(), pollIntervalMs: 600_000 });
    await relay.start();
    // Let the relay's first look at the empty outbox finish, so only the notify can bring it back.
    await sleep(300);
    const event = numberedEvent(1);

    // Act
    await service.db.transaction((tx) => addToOutbox(tx, event));

    // Assert: far sooner than the ten-minute poll.
    await waitFor(() => collector.received.some((received) => received.id === event.id), { timeoutMs: 5_000, what: 'the notified event' });
    await collector.close();
  });

  it('when a transaction skipped its notify (another just notified), then the lingering relay still finds its row', async () => {
    // Arrange: the poll is far too rare to help.
    const collector = await collectFrom(exchange);
    relay = new OutboxRelay({ db: service.db, sql: service.client, sink, logger: recordingLogger(), pollIntervalMs: 600_000 });
    await relay.start();
    await sleep(300);
    const [first, second] = [numberedEvent(1), numberedEvent(2)];
    const firstAdded = deferred();
    const secondAdded = deferred();
    const releaseSecond = deferred();

    // Act: the second event is added right after the first (so it does not notify) but commits only
    // once the relay has published the first and found nothing more.
    const secondTx = service.db.transaction(async (tx) => {
      await firstAdded.promise;
      await addToOutbox(tx, second);
      secondAdded.resolve();
      await releaseSecond.promise;
    });
    await service.db.transaction(async (tx) => {
      await addToOutbox(tx, first);
      firstAdded.resolve();
      await secondAdded.promise;
    });
    await waitFor(() => collector.received.some((event) => event.id === first.id), { what: 'the first event' });
    await sleep(20);
    releaseSecond.resolve();
    await secondTx;

    // Assert
    await waitFor(() => collector.received.some((event) => event.id === second.id), { timeoutMs: 5_000, what: 'the second event' });
    await collector.close();
  });

  it('when the broker never confirms, then nothing is marked sent and the attempt and error are recorded', async () => {
    // Arrange
    const silentSink: EventSink = { publish: () => new Promise<void>(() => {}) };
    const events = [numberedEvent(1), numberedEvent(2)];
    await addToOutbox(service.db, events);
    const logger = recordingLogger();
    relay = new OutboxRelay({ db: service.db, sink: silentSink, logger, publishTimeoutMs: 100, minRetryDelayMs: 10_000 });

    // Act
    await relay.start();

    // Assert
    const rows = await waitFor(async () => {
      const current = await rowsOf(events);
      return current.every((row) => row.attempts === 1) && current;
    }, { what: 'a recorded attempt' });
    expect(rows.every((row) => row.sentAt === null)).toBe(true);
    expect(rows[0]?.lastError).toContain('no confirm within 100 ms');
    expect(logger.entries.some((entry) => entry.level === 'error')).toBe(true);
    expect(await outboxBacklog(service.db)).toMatchObject({ pending: 2, maxAttempts: 1 });
  });

  it('when the broker refuses some events, then it marks only the confirmed ones sent and retries the rest until they go', async () => {
    // Arrange: every event with an even number is refused twice, then accepted.
    const collector = await collectFrom(exchange);
    const refusals = new Map<string, number>();
    const flakySink: EventSink = {
      publish: async (event) => {
        const refused = refusals.get(event.id) ?? 0;
        if (seqOf(event) % 2 === 0 && refused < 2) {
          refusals.set(event.id, refused + 1);
          throw new Error('broker nacked the event');
        }
        await sink.publish(event);
      },
    };
    const events = Array.from({ length: 6 }, (_, i) => numberedEvent(i));
    await addToOutbox(service.db, events);
    relay = new OutboxRelay({ db: service.db, sink: flakySink, logger: recordingLogger(), minRetryDelayMs: 20, maxRetryDelayMs: 50 });

    // Act
    await relay.start();

    // Assert
    await waitFor(async () => (await rowsOf(events)).every((row) => row.sentAt !== null), { what: 'every row sent' });
    const rows = await rowsOf(events);
    expect(rows.map((row) => row.attempts)).toEqual([2, 0, 2, 0, 2, 0]);
    expect(rows[0]?.lastError).toBe('broker nacked the event');
    const ids = collector.received.map((event) => event.id);
    expect(new Set(ids).size).toBe(events.length);
    expect(ids.length).toBe(events.length);
    await collector.close();
  });

  it('when sent rows outlive the retention, then cleanup deletes them and keeps the unsent and the recent', async () => {
    // Arrange
    const [old, recent, unsent] = [numberedEvent(1), numberedEvent(2), numberedEvent(3)];
    await addToOutbox(service.db, [old, recent, unsent]);
    await service.client`update outbox_messages set sent_at = now() - interval '2 hours' where event_id = ${old.id}`;
    await service.client`update outbox_messages set sent_at = now() where event_id = ${recent.id}`;
    const cleaner = new OutboxRelay({ db: service.db, sink, logger: recordingLogger(), sentRetentionMs: 60 * 60 * 1000 });

    // Act
    const deleted = await cleaner.deleteExpiredSentRows();

    // Assert
    expect(deleted).toBe(1);
    expect((await rowsOf([old, recent, unsent])).map((row) => row.eventId)).toEqual([recent.id, unsent.id]);
  });

  it('when the retention is zero, then rows are deleted as soon as they are confirmed', async () => {
    // Arrange
    const collector = await collectFrom(exchange);
    const events = [numberedEvent(1), numberedEvent(2)];
    await addToOutbox(service.db, events);
    relay = new OutboxRelay({ db: service.db, sql: service.client, sink, logger: recordingLogger(), sentRetentionMs: 0 });

    // Act
    await relay.start();

    // Assert
    await waitFor(() => collector.received.length >= 2, { what: 'both events' });
    await waitFor(async () => (await rowsOf(events)).length === 0, { what: 'rows deleted' });
    expect(await service.db.select().from(outboxMessages).where(isNull(outboxMessages.sentAt))).toEqual([]);
    await collector.close();
  });

  it('when stopped mid-stream, then rows it did not reach stay pending for the next relay', async () => {
    // Arrange: a sink slow enough that stop() lands between batches.
    const slowSink: EventSink = { publish: (event) => new Promise((resolve) => setTimeout(resolve, 30)).then(() => sink.publish(event)) };
    const events = Array.from({ length: 40 }, (_, i) => numberedEvent(i));
    await addToOutbox(service.db, events);
    relay = new OutboxRelay({ db: service.db, sink: slowSink, logger: recordingLogger(), batchSize: 5 });
    await relay.start();
    await waitFor(async () => (await rowsOf(events)).some((row) => row.sentAt !== null), { what: 'a first batch' });

    // Act
    await relay.stop();

    // Assert
    const rows = await rowsOf(events);
    const sent = rows.filter((row) => row.sentAt !== null).length;
    expect(sent % 5).toBe(0);
    expect(sent).toBeLessThan(events.length);
    // Sent rows form a prefix: order survives the stop.
    expect(rows.slice(0, sent).every((row) => row.sentAt !== null)).toBe(true);
  });
});

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((done) => (resolve = done));
  return { promise, resolve };
}
