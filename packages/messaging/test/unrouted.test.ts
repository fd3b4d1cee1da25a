import { uniqueName, waitFor } from '@trendcast/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  countParked,
  EventConsumer,
  EventPublisher,
  migrateProducerExchange,
  parkedQueueNames,
  peekParked,
  producerExchangeName,
  PublishError,
  queueStats,
  replayParked,
  unroutedQueueName,
  withChannel,
  type RabbitConnection,
} from '../src/index.js';
import { openConnection, recordingLogger, removeDeclaredAndClose, sampleEvent } from './support.js';

const namespace = uniqueName('msgtest_unrouted');
let connection: RabbitConnection;
const queues: string[] = [];

beforeAll(async () => {
  connection = await openConnection('unrouted-test');
});

afterAll(async () => {
  await removeDeclaredAndClose(connection, namespace, { queues, producers: ['users', 'trends', 'thinker'] });
});

describe('events no queue is bound for', () => {
  it('when an event is published before any consumer binds, then it is parked, listed, and a replay delivers it to the consumer bound later', async () => {
    // Arrange
    const publisher = new EventPublisher(connection, { namespace });
    const early = [sampleEvent('users.user.registered'), sampleEvent('users.password.changed')];
    const exchange = producerExchangeName('users', namespace);
    const parked = unroutedQueueName(exchange);

    // Act: published (and confirmed) with nobody listening
    for (const event of early) await publisher.publish(event);
    const counts = await countParked(connection, parkedQueueNames({ producers: ['users'], namespace }));
    const listing = await peekParked(connection, exchange);

    // Assert: parked, visible, nothing lost
    expect(counts).toEqual([{ queue: parked, kind: 'unrouted', messageCount: 2 }]);
    expect(listing.messages.map((message) => [message.messageId, message.originalExchange, message.originalRoutingKey])).toEqual(
      early.map((event) => [event.id, exchange, event.type]),
    );
    expect(listing.messages[0]?.payload).toEqual(early[0]);

    // Arrange: a consumer subscribes later, to one of the two types
    const received: string[] = [];
    const consumer = new EventConsumer(connection, { service: uniqueName('late'), namespace, logger: recordingLogger() }).on('users.user.registered', async (event) => {
      received.push(event.id);
    });
    queues.push(...consumer.queueNames());
    await consumer.start();

    // Act: the operator replays what was parked
    const replay = await replayParked(connection, parked);

    // Assert: the bound type reaches the consumer; the other, still unbound, is parked again
    expect(replay).toEqual({ queue: parked, kind: 'unrouted', replayed: 2 });
    await waitFor(() => received.includes(early[0]!.id), { what: 'the replayed event' });
    const after = await peekParked(connection, parked);
    expect(after.messages.map((message) => message.messageId)).toEqual([early[1]!.id]);
    expect(after.messages[0]?.replayedAt).toBeDefined();
    await consumer.stop();
    await publisher.close();
  });

  it('when one message is picked by id, then only it is replayed and the others keep their order', async () => {
    // Arrange
    const publisher = new EventPublisher(connection, { namespace });
    const events = [sampleEvent('thinker.drafts.generated'), sampleEvent('thinker.drafts.generated'), sampleEvent('thinker.drafts.generated')];
    for (const event of events) await publisher.publish(event);
    const parked = unroutedQueueName(producerExchangeName('thinker', namespace));

    // Act
    const replay = await replayParked(connection, parked, { messageId: events[1]!.id });

    // Assert: nobody is bound, so the replayed one is parked again, at the back
    expect(replay.replayed).toBe(1);
    const listing = await peekParked(connection, parked);
    expect(listing.messages.map((message) => message.messageId)).toEqual([events[0]!.id, events[2]!.id, events[1]!.id]);
    await publisher.close();
  });

  it('when the exchange predates unrouted parking, then an unrouted publish fails as the event’s own (the outbox keeps it), and migrating the exchange parks them from then on', async () => {
    // Arrange: the exchange as the version before declared it
    const exchange = producerExchangeName('trends', namespace);
    await withChannel(connection, (channel) => channel.assertExchange(exchange, 'topic', { durable: true }));
    const logger = recordingLogger();
    const publisher = new EventPublisher(connection, { namespace, logger });

    // Act
    const failure = await publisher.publish(sampleEvent('trends.search.failed')).then(() => undefined, (error: unknown) => error);

    // Assert
    expect(failure).toBeInstanceOf(PublishError);
    expect((failure as PublishError).failure).toBe('event-rejected');
    expect((failure as Error).message).toContain('no queue took the message');
    expect(logger.entries.some((entry) => entry.message?.includes('predates its unrouted queue'))).toBe(true);
    await publisher.close();

    // Act: the operator migrates the exchange
    expect(await migrateProducerExchange(connection, exchange)).toBe('recreated');
    const migrated = new EventPublisher(connection, { namespace });
    await migrated.publish(sampleEvent('trends.search.failed'));

    // Assert
    expect((await queueStats(connection, unroutedQueueName(exchange))).messageCount).toBe(1);
    expect(await migrateProducerExchange(connection, exchange)).toBe('already-current');
    await migrated.close();
  });
});
