import { eventTypes, type DomainEvent } from '@trendcast/events';
import { uniqueName, waitFor } from '@trendcast/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  EventConsumer,
  EventPublisher,
  consumerQueueName,
  exchangeForType,
  messageHeaders,
  queueStats,
  type RabbitConnection,
} from '../src/index.js';
import { onlyQueue, openConnection, recordingLogger, recordingMetrics, removeDeclaredAndClose, sampleEvent } from './support.js';

// A namespace keeps this file's exchanges apart from the shared `users.events` & co., so no
// other consumer on this broker receives the samples published here.
const namespace = uniqueName('msgtest_rt');
const producers = ['users', 'trends', 'thinker', 'tweeter'];
let connection: RabbitConnection;
const queues: string[] = [];

beforeAll(async () => {
  connection = await openConnection('round-trip-test');
});

afterAll(async () => {
  await removeDeclaredAndClose(connection, namespace, { queues, producers });
});

describe('publish → consume', () => {
  it('when every catalogued event is published, then each is consumed deep-equal, types intact', async () => {
    // Arrange
    const received = new Map<string, DomainEvent>();
    const { metrics, recorded } = recordingMetrics();
    const service = uniqueName('roundtrip');
    const consumer = new EventConsumer(connection, { service, namespace, logger: recordingLogger(), metrics });
    for (const type of eventTypes) {
      consumer.on(type, async (event, { attempt }) => {
        expect(attempt).toBe(1);
        received.set(event.id, event);
      });
    }
    queues.push(...consumer.queueNames());
    await consumer.start();
    const publisher = new EventPublisher(connection, { namespace, metrics });
    const sent = eventTypes.map((type) => sampleEvent(type));

    // Act
    await Promise.all(sent.map((event) => publisher.publish(event)));
    await waitFor(() => received.size === sent.length, { what: 'every event consumed' });

    // Assert
    for (const event of sent) expect(received.get(event.id)).toEqual(event);
    expect(consumer.queues().map(({ queue }) => queue).sort()).toEqual(producers.map((producer) => consumerQueueName(service, producer, namespace)).sort());
    expect(recorded.published.sort()).toEqual([...eventTypes].sort());
    await waitFor(() => recorded.consumed.length === sent.length, { what: 'metrics of every ack' });
    expect(recorded.consumed.every(([, outcome]) => outcome === 'acked')).toBe(true);
    await consumer.stop();
    await publisher.close();
  });

  it('when an event is published, then the AMQP message is persistent and carries the envelope in its properties', async () => {
    // Arrange
    const event = sampleEvent('users.password.changed');
    const exchange = exchangeForType(event.type, namespace);
    const queue = uniqueName('msgtest_props');
    queues.push(queue);
    const publisher = new EventPublisher(connection, { namespace });
    await publisher.publish(sampleEvent('users.password.changed')); // declares the exchange
    const probe = await connection.waitForConnection();
    const channel = await probe.createChannel();
    await channel.assertQueue(queue, { durable: false });
    await channel.bindQueue(queue, exchange, '#');

    // Act
    await publisher.publish(event);
    const message = await waitFor(async () => (await channel.get(queue, { noAck: true })) || undefined, { what: 'the published message' });

    // Assert
    expect(message.fields.exchange).toBe(exchange);
    expect(message.fields.routingKey).toBe(event.type);
    expect(message.properties).toMatchObject({
      messageId: event.id,
      correlationId: event.correlationId,
      type: event.type,
      appId: event.source,
      contentType: 'application/json',
      deliveryMode: 2,
      timestamp: Math.floor(Date.parse(event.occurredAt) / 1000),
    });
    expect(message.properties.headers).toMatchObject({ [messageHeaders.causationId]: event.causationId, [messageHeaders.eventVersion]: event.version });
    expect(JSON.parse(message.content.toString('utf8'))).toEqual(event);
    await channel.close();
    await publisher.close();
  });

  it('when a valid event of a type nobody subscribed to reaches the queue, then it is acked and not dead-lettered', async () => {
    // Arrange
    const logger = recordingLogger();
    let calls = 0;
    const consumer = new EventConsumer(connection, { service: uniqueName('unsubscribed'), namespace, logger }).on('users.user.deleted', async () => {
      calls += 1;
    });
    queues.push(...consumer.queueNames());
    await consumer.start();
    const { queue } = onlyQueue(consumer);
    const stray = sampleEvent('users.password.changed');
    const probe = await connection.waitForConnection();
    const channel = await probe.createConfirmChannel();

    // Act: straight into the queue, as no binding would route it there
    channel.sendToQueue(queue, Buffer.from(JSON.stringify(stray)), { persistent: true });
    await channel.waitForConfirms();
    await waitFor(() => logger.entries.some((entry) => entry.bindings.eventId === stray.id), { what: 'the warning about the stray event' });

    // Assert
    expect(calls).toBe(0);
    await consumer.stop(); // an unacked message would go back to the queue here
    expect((await queueStats(connection, queue)).messageCount).toBe(0);
    expect((await queueStats(connection, `${queue}.dead-letter`)).messageCount).toBe(0);
    await channel.close();
  });
});
