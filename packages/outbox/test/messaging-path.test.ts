import { testEnv, uniqueName, waitFor } from '@trendcast/testing';
import {
  deleteExchanges,
  deleteQueues,
  EventConsumer,
  EventPublisher,
  exchangeForType,
  RabbitConnection,
  silentLogger,
} from '@trendcast/messaging';
import { count, isNull } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addToOutbox, handleOnce, inboxMessages, outboxMessages, OutboxRelay } from '../src/index.js';
import { accounts } from './fixtures/service/schema.js';
import { createServiceDatabase, type ServiceDatabase } from './support/database.js';
import { numberedEvent } from './support/events.js';
import { recordingLogger } from './support/logger.js';

// The whole path with the messaging package: producer transaction → relay → EventPublisher →
// RabbitMQ → EventConsumer → handleOnce in the consumer's own database.
let producer: ServiceDatabase;
let consumerDb: ServiceDatabase;
let producerRabbit: RabbitConnection;
let consumerRabbit: RabbitConnection;
let publisher: EventPublisher;
let relay: OutboxRelay;
let consumer: EventConsumer;
const namespace = uniqueName('outbox_path');
const effects: string[] = [];
const duplicates: string[] = [];

beforeAll(async () => {
  [producer, consumerDb] = await Promise.all([createServiceDatabase('outbox_path_p'), createServiceDatabase('outbox_path_c')]);
  producerRabbit = new RabbitConnection({ url: testEnv.rabbitUrl, name: 'outbox-path-producer', logger: silentLogger });
  consumerRabbit = new RabbitConnection({ url: testEnv.rabbitUrl, name: 'outbox-path-consumer', logger: silentLogger });
  await Promise.all([producerRabbit.start(), consumerRabbit.start()]);
  publisher = new EventPublisher(producerRabbit, { namespace });
  consumer = new EventConsumer(consumerRabbit, { service: 'accounting', logger: silentLogger, namespace, prefetch: 50 }).on(
    'trends.search.failed',
    async (event) => {
      const outcome = await handleOnce(consumerDb.db, 'accounting', event, async (tx) => {
        await tx.insert(accounts).values({ id: event.id, balance: 1 });
      });
      (outcome === 'handled' ? effects : duplicates).push(event.id);
    },
  );
  await consumer.start();
  relay = new OutboxRelay({ db: producer.db, sql: producer.client, sink: publisher, logger: recordingLogger() });
  await relay.start();
});

afterAll(async () => {
  await relay?.stop();
  await consumer?.stop();
  await deleteQueues(consumerRabbit, consumer.queueNames()).catch(() => {});
  await deleteExchanges(consumerRabbit, [exchangeForType('trends.search.failed', namespace)]).catch(() => {});
  await publisher?.close();
  await Promise.all([producerRabbit?.close(), consumerRabbit?.close()]);
  await Promise.all([producer?.close(), consumerDb?.close()]);
});

describe('outbox → EventPublisher → RabbitMQ → EventConsumer → inbox', () => {
  it('when a service commits events, then the consuming service applies each exactly once, a redelivery included', async () => {
    // Arrange
    const events = Array.from({ length: 200 }, (_, i) => numberedEvent(i));

    // Act: ten producing transactions, then one event published a second time, as after a lost confirm.
    for (let i = 0; i < events.length; i += 20) {
      await producer.db.transaction((tx) => addToOutbox(tx, events.slice(i, i + 20)));
    }
    await waitFor(() => effects.length >= events.length, { timeoutMs: 20_000, what: 'every effect' });
    await publisher.publish(events[0]!);
    await waitFor(() => duplicates.length > 0, { what: 'the redelivered event' });

    // Assert
    expect(new Set(effects)).toEqual(new Set(events.map((event) => event.id)));
    expect(effects).toHaveLength(events.length);
    expect(duplicates).toEqual([events[0]!.id]);
    expect((await consumerDb.db.select({ n: count() }).from(inboxMessages))[0]?.n).toBe(events.length);
    expect((await consumerDb.db.select({ n: count() }).from(accounts))[0]?.n).toBe(events.length);
    await waitFor(async () => (await producer.db.select({ n: count() }).from(outboxMessages).where(isNull(outboxMessages.sentAt)))[0]?.n === 0, {
      what: 'every outbox row marked sent',
    });
  });
});
