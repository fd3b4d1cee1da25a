import amqp, { type Channel, type ChannelModel, type ConsumeMessage } from 'amqplib';
import { silentLogger } from '@trendcast/core';
import { decodeEvent } from '@trendcast/events';
import { ensureProducerExchange } from '@trendcast/messaging';
import { testEnv, uniqueName, waitFor } from '@trendcast/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outboxEventsOfType, outboxRows, startHarness, strongPassword, uniqueEmail, type Harness } from './support/service.js';

let h: Harness;
let probe: ChannelModel;
let channel: Channel;
const queue = uniqueName('users_relay_probe');
const received: ConsumeMessage[] = [];

beforeAll(async () => {
  // The service's own relay, as main.ts starts it, on the real users.events exchange (no namespace).
  h = await startHarness({ env: { RABBITMQ_URL: testEnv.rabbitUrl, RABBITMQ_NAMESPACE: '' } });
  // A temporary queue on the real exchange, as any consumer of users' events would bind one.
  probe = await amqp.connect(testEnv.rabbitUrl);
  channel = await probe.createChannel();
  // Declared as every producer declares it (with its alternate exchange for unrouted events): a bare declare would differ.
  await ensureProducerExchange(probe, 'users.events', silentLogger);
  await channel.assertQueue(queue, { exclusive: true, autoDelete: true });
  await channel.bindQueue(queue, 'users.events', 'users.user.registered');
  await channel.bindQueue(queue, 'users.events', 'users.email_verification.requested');
  await channel.consume(queue, (message) => message && received.push(message), { noAck: true });
});

afterAll(async () => {
  await channel?.deleteQueue(queue).catch(() => {});
  await probe?.close();
  await h?.close();
});

describe('outbox relay to RabbitMQ', () => {
  it('when someone registers, then both events reach the users.events exchange, confirmed and marked sent', async () => {
    const email = uniqueEmail('relayed');

    const response = await h.app.inject({
      method: 'POST',
      url: '/users/register',
      payload: { email, password: strongPassword, displayName: 'Relayed' },
      headers: { 'x-correlation-id': 'relay-check' },
    });
    expect(response.statusCode).toBe(201);
    const written = [
      ...(await outboxEventsOfType(h, 'users.user.registered')),
      ...(await outboxEventsOfType(h, 'users.email_verification.requested')),
    ].filter((event) => event.data.email === email);
    const ids = new Set(written.map((event) => event.id));

    // Other suites may publish to the shared exchange too: only this registration's events count.
    const mine = await waitFor(
      () => {
        const ours = received.filter((message) => ids.has(message.properties.messageId as string));
        return ours.length === 2 && ours;
      },
      { timeoutMs: 10_000, what: 'both registration events on users.events' },
    );

    expect(mine.map((message) => message.fields.routingKey).sort()).toEqual([
      'users.email_verification.requested',
      'users.user.registered',
    ]);
    for (const message of mine) {
      expect(message.fields.exchange).toBe('users.events');
      expect(message.properties.deliveryMode).toBe(2);
      const event = decodeEvent(message.content);
      expect(event).toMatchObject({ source: 'users', correlationId: 'relay-check', data: { email } });
    }
    await waitFor(async () => (await outboxRows(h)).every((row) => row.sentAt !== null), { what: 'outbox rows marked sent' });
  });
});
