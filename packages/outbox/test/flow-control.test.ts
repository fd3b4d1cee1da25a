import { deleteExchanges, deleteQueues, EventConsumer, EventPublisher, exchangeForType, queueStats, RabbitConnection, silentLogger } from '@trendcast/messaging';
import { sleep, testEnv, uniqueName, waitFor, withBrokerMemoryAlarm } from '@trendcast/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addToOutbox, outboxBacklog, OutboxRelay } from '../src/index.js';
import { createServiceDatabase, type ServiceDatabase } from './support/database.js';
import { numberedEvent } from './support/events.js';
import { recordingLogger } from './support/logger.js';

let service: ServiceDatabase;
let rabbit: RabbitConnection;
let counted: EventConsumer;
const namespace = uniqueName('outbox_flow');

beforeAll(async () => {
  service = await createServiceDatabase('outbox_flow');
  rabbit = new RabbitConnection({ url: testEnv.rabbitUrl, name: 'outbox-flow-admin', logger: silentLogger });
  await rabbit.start();
  // Declared, not consumed: what reaches the queue is counted afterwards.
  counted = new EventConsumer(rabbit, { service: 'flowcount', namespace, logger: silentLogger }).on('trends.search.failed', async () => {});
  await counted.declareTopology();
});

afterAll(async () => {
  await deleteQueues(rabbit, counted.queueNames()).catch(() => {});
  await deleteExchanges(rabbit, [exchangeForType('trends.search.failed', namespace)]).catch(() => {});
  await rabbit?.close();
  await service?.close();
});

describe('the relay under broker flow control', () => {
  it('when the broker blocks publishing, then the relay pauses instead of buffering another copy of its batch on each retry, and afterwards every row is published once', { timeout: 60_000 }, async () => {
    // Arrange: a publishing connection of its own, retries far more often than the block lasts.
    const publishing = new RabbitConnection({ url: testEnv.rabbitUrl, name: 'outbox-flow-publisher', logger: silentLogger });
    await publishing.start();
    const publisher = new EventPublisher(publishing, { namespace, confirmTimeoutMs: 1_000 });
    const logger = recordingLogger();
    const relay = new OutboxRelay({ db: service.db, sql: service.client, sink: publisher, logger, publishTimeoutMs: 1_500, minRetryDelayMs: 100, maxRetryDelayMs: 300 });
    const before = Array.from({ length: 300 }, (_, i) => numberedEvent(i));
    await addToOutbox(service.db, before);
    await relay.start();
    await waitFor(async () => (await outboxBacklog(service.db)).pending === 0, { what: 'the first rows published' });
    const during = Array.from({ length: 300 }, (_, i) => numberedEvent(1_000 + i));

    // Act
    const blocked = await withBrokerMemoryAlarm(async () => {
      await addToOutbox(service.db, during);
      await waitFor(() => publishing.isBlocked(), { what: 'the block', timeoutMs: 10_000 });
      // Long enough for many retries of a relay that does not pause.
      await sleep(3_000);
      return { unconfirmed: publisher.unconfirmed(), failedBatches: logger.entries.filter((entry) => entry.msg?.includes('could not publish every event')).length };
    });
    await waitFor(async () => (await outboxBacklog(service.db)).pending === 0, { what: 'every row published after the block', timeoutMs: 15_000 });
    await relay.stop();

    // Assert: the relay tried again during the block, yet never more than one copy of the batch was in flight,
    // and the queue holds each event once.
    expect(blocked.failedBatches).toBeGreaterThanOrEqual(1);
    expect(blocked.unconfirmed).toBeLessThanOrEqual(during.length);
    const { queue } = counted.queues()[0]!;
    await sleep(300);
    expect((await queueStats(rabbit, queue)).messageCount).toBe(before.length + during.length);
    await publisher.close();
    await publishing.close();
  });
});
