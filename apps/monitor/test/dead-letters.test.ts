import { randomUUID } from 'node:crypto';
import { createEvent } from '@trendcast/events';
import { sampleEventData } from '@trendcast/events/samples';
import { deleteQueues, EventConsumer, silentLogger } from '@trendcast/messaging';
import { waitFor } from '@trendcast/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDeadLetterBench, type DeadLetterBench } from './support/dead-letters.js';
import { consoleOrigin, startMonitor, type MonitorHarness } from './support/service.js';

let h: MonitorHarness;
let bench: DeadLetterBench;
let cookie: string;
const html = { accept: 'text/html' };
const form = { 'content-type': 'application/x-www-form-urlencoded' };

beforeAll(async () => {
  h = await startMonitor();
  bench = await startDeadLetterBench({ service: h.consumer, namespace: h.namespace });
  cookie = await h.signInAsAdmin();
});

afterAll(async () => {
  await bench?.close();
  await h?.close();
});

const page = async (url: string) => {
  const response = await h.inject({ method: 'GET', url, headers: { ...html, cookie } });
  expect(response.statusCode, `${url}: ${response.body.slice(0, 300)}`).toBe(200);
  return response;
};
const queuePage = (queue: string) => `/admin/queues/dead-letters/${encodeURIComponent(queue)}`;

/** A malformed users.user.registered: valid JSON, an envelope whose data breaks the contract, and markup in a field. */
function malformedEvent(id: string) {
  return {
    id,
    type: 'users.user.registered',
    version: 1,
    occurredAt: new Date().toISOString(),
    source: 'users',
    correlationId: 'corr-dead-letter-test',
    data: { userId: 'not-a-uuid', email: '<script>alert(1)</script>', displayName: 'Mallory' },
  };
}

describe('dead letters in the console', () => {
  const id = randomUUID();

  it('when a consumer dead-letters a malformed event, then the list shows its queue with the count, and the gauge counts it', async () => {
    await bench.deadLetter(JSON.stringify(malformedEvent(id)), { messageId: id, correlationId: 'corr-dead-letter-test' });
    await h.monitor.refresh();

    const response = await page('/admin/queues/dead-letters');

    expect(response.headers['content-security-policy']).not.toContain('unsafe-inline');
    expect(response.body).toContain(`<a href="${queuePage(bench.deadLetterQueue)}">${bench.deadLetterQueue}</a>`);
    expect(response.body).toMatch(new RegExp(`${bench.deadLetterQueue.replace(/\./g, '\\.')}</a></th>\\s*<td>dead letters</td>\\s*<td class="number">1</td>`));
    const metrics = (await h.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metrics).toContain(`trendcast_dead_letter_messages{queue="${bench.deadLetterQueue}",service="monitor"} 1`);
  });

  it('when the queue is inspected, then the message shows its type, id, reason and error, and its body pretty-printed with markup escaped', async () => {
    const response = await page(queuePage(bench.deadLetterQueue));

    expect(response.body).toContain('<h2 id="message-1">users.user.registered</h2>');
    expect(response.body).toContain(`<dd>${id}</dd>`);
    expect(response.body).toContain('<dd>unparseable</dd>');
    expect(response.body).toMatch(/<dt>Error<\/dt><dd>[^<]*invalid data for users\.user\.registered@1/);
    expect(response.body).toContain(`<dd>${bench.queue}</dd>`);
    expect(response.body).toContain('<dd>corr-dead-letter-test</dd>');
    expect(response.body).toContain('&quot;email&quot;: &quot;&lt;script&gt;alert(1)&lt;/script&gt;&quot;');
    expect(response.body).not.toContain('<script>alert(1)</script>');
    // Pretty-printed: one field a line, indented.
    expect(response.body).toContain('\n  &quot;type&quot;: &quot;users.user.registered&quot;,\n');
  });

  it('when inspected, then the message stays in the dead-letter queue', async () => {
    await page(queuePage(bench.deadLetterQueue));

    expect(await bench.waiting(bench.deadLetterQueue)).toBe(1);
  });

  it('when a replay is posted from another site, then it is refused and the message stays', async () => {
    const response = await h.inject({ method: 'POST', url: `${queuePage(bench.deadLetterQueue)}/replay`, headers: { ...form, cookie, origin: 'https://evil.example' }, payload: '' });

    expect(response.statusCode).toBe(403);
    expect(await bench.waiting(bench.deadLetterQueue)).toBe(1);
  });

  it('when a queue that is no parked queue of the system is asked for, then 404 and nothing is read', async () => {
    for (const queue of [bench.queue, 'users.events', 'amq.rabbitmq.trace']) {
      const response = await h.inject({ method: 'GET', url: queuePage(queue), headers: { cookie } });

      expect(response.statusCode, queue).toBe(404);
      expect(response.json()).toMatchObject({ code: 'UNKNOWN_QUEUE' });
    }
    const replay = await h.inject({ method: 'POST', url: `${queuePage(bench.queue)}/replay`, headers: { ...form, cookie, origin: consoleOrigin }, payload: '' });
    expect(replay.statusCode).toBe(404);
  });

  it('when the admin replays one message by its id, then that one goes back to its consumer queue and the other stays', async () => {
    const second = randomUUID();
    await bench.deadLetter(JSON.stringify(malformedEvent(second)), { messageId: second });
    await bench.stopConsuming();
    const before = await page(queuePage(bench.deadLetterQueue));
    expect(before.body).toContain(`<input type="hidden" name="messageId" value="${second}">`);

    const response = await h.inject({
      method: 'POST',
      url: `${queuePage(bench.deadLetterQueue)}/replay`,
      headers: { ...form, ...html, cookie, origin: consoleOrigin },
      payload: `messageId=${second}`,
    });

    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe(`${queuePage(bench.deadLetterQueue)}?replayed=1`);
    expect(await bench.waiting(bench.queue)).toBe(1);
    const after = await page(queuePage(bench.deadLetterQueue));
    expect(after.body).toContain(`<dd>${id}</dd>`);
    expect(after.body).not.toContain(`<dd>${second}</dd>`);
  });

  it('when the admin replays the queue, then the message is back in its consumer queue and the page says so', async () => {
    await bench.stopConsuming();

    const response = await h.inject({ method: 'POST', url: `${queuePage(bench.deadLetterQueue)}/replay`, headers: { ...form, ...html, cookie, origin: consoleOrigin }, payload: '' });

    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe(`${queuePage(bench.deadLetterQueue)}?replayed=1`);
    expect(await bench.waiting(bench.deadLetterQueue)).toBe(0);
    // The one replayed before and this one: both wait for their consumer again.
    expect(await bench.waiting(bench.queue)).toBe(2);
    const after = await page(response.headers.location as string);
    expect(after.body).toContain('1 message was replayed.');
    expect(after.body).toContain('Nothing waits here.');
  });
});

describe('unrouted events in the console', () => {
  it('when an event is published while nobody is bound for it, then it shows as parked, and a replay once a consumer exists delivers it', async () => {
    const event = createEvent('users.user.deleted', sampleEventData['users.user.deleted'], { source: 'users', correlationId: 'corr-unrouted' });
    await bench.publish(event.type, JSON.stringify(event), { messageId: event.id, correlationId: event.correlationId });
    await waitFor(async () => (await bench.waiting(bench.unroutedQueue)) === 1, { what: 'the event parked as unrouted' });
    await h.monitor.refresh();

    const list = await page('/admin/queues/dead-letters');
    expect(list.body).toMatch(new RegExp(`${bench.unroutedQueue.replace(/\./g, '\\.')}</a></th>\\s*<td>unrouted events</td>\\s*<td class="number">1</td>`));
    const parked = await page(queuePage(bench.unroutedQueue));
    expect(parked.body).toContain(`<dd>${bench.unroutedQueue.replace(/\.unrouted$/, '')} · users.user.deleted</dd>`);
    expect(parked.body).toContain(`<dd>${event.id}</dd>`);

    // The consumer that was missing arrives, then the operator replays.
    const received: string[] = [];
    const late = new EventConsumer(bench.rabbit, { service: `${h.consumer}_late`, namespace: h.namespace, logger: silentLogger }).on('users.user.deleted', async (delivered) => {
      received.push(delivered.id);
    });
    await late.start();
    try {
      const replay = await h.inject({ method: 'POST', url: `${queuePage(bench.unroutedQueue)}/replay`, headers: { ...form, cookie, origin: consoleOrigin }, payload: '' });

      expect(replay.headers.location).toBe(`${queuePage(bench.unroutedQueue)}?replayed=1`);
      await waitFor(() => received.includes(event.id), { what: 'the late consumer to get the replayed event' });
      expect(await bench.waiting(bench.unroutedQueue)).toBe(0);
    } finally {
      await late.stop();
      await deleteQueues(bench.rabbit, late.queueNames());
    }
  });
});
