import { createEvent } from '@trendcast/events';
import { sampleEventData } from '@trendcast/events/samples';
import { createTestTokenSigner } from '@trendcast/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closedPortUrl, startOutboxService, type OutboxServiceBench } from './support/outbox-service.js';
import { consoleOrigin, startMonitor, type MonitorHarness } from './support/service.js';

let h: MonitorHarness;
let service: OutboxServiceBench;
let cookie: string;
const html = { accept: 'text/html' };
const form = { 'content-type': 'application/x-www-form-urlencoded' };
const origin = { source: 'trends', correlationId: 'corr-parked-outbox' };

/** An event whose publishing the broker kept refusing; markup in a field to prove the payload is shown as text. */
const parkedEvent = (reason: string) => createEvent('trends.search.failed', { ...sampleEventData['trends.search.failed'], reason }, origin);

beforeAll(async () => {
  const signer = await createTestTokenSigner();
  service = await startOutboxService(signer);
  h = await startMonitor({ signer, env: { MONITOR_OUTBOX_SERVICES: `parkedsvc=${service.url},ghost=${await closedPortUrl()}`, MONITOR_OUTBOX_TIMEOUT_MS: '2000' } });
  cookie = await h.signInAsAdmin();
});

afterAll(async () => {
  await h?.close();
  await service?.close();
});

const page = async (url = '/admin/queues/outbox', sessionCookie = cookie) => {
  const response = await h.inject({ method: 'GET', url, headers: { ...html, cookie: sessionCookie } });
  expect(response.statusCode, `${url}: ${response.body.slice(0, 300)}`).toBe(200);
  return response;
};
const replay = (service: string, payload: string, headers: Record<string, string> = { origin: consoleOrigin }) =>
  h.inject({ method: 'POST', url: `/admin/queues/outbox/${service}/replay`, headers: { ...form, cookie, ...headers }, payload });

describe('parked outbox rows in the console', () => {
  const first = parkedEvent('<script>alert(1)</script>');
  const second = parkedEvent('second');

  beforeAll(async () => {
    await service.park(first, second);
  });

  it('when a service has parked rows, then its section shows the count and each row with why, the payload as escaped text', async () => {
    const response = await page();

    expect(response.headers['content-security-policy']).not.toContain('unsafe-inline');
    expect((await page('/admin/queues/dead-letters')).body).toContain('<a href="/admin/queues/outbox">Parked outbox rows</a>');
    expect(response.body).toContain('<h2 id="service-parkedsvc">parkedsvc</h2>');
    expect(response.body).toContain('<strong>2 rows are parked.</strong>');
    expect(response.body).toContain(`<dd>${first.id}</dd>`);
    expect(response.body).toContain('<dd>the broker refused the message (basic.nack)</dd>');
    expect(response.body).toMatch(/<dt>Refusals<\/dt><dd>10<\/dd>/);
    expect(response.body).toContain('&quot;reason&quot;: &quot;&lt;script&gt;alert(1)&lt;/script&gt;&quot;');
    expect(response.body).not.toContain('<script>alert(1)</script>');
  });

  it('when a service cannot be reached, then its section says so in words and the page still answers 200', async () => {
    const response = await page();

    expect(response.body).toContain('<h2 id="service-ghost">ghost</h2>');
    expect(response.body).toMatch(/Parked rows cannot be shown: ghost cannot be reached at http:\/\/127\.0\.0\.1:\d+/);
  });

  it('when a replay comes from another site, then it is refused and the row stays parked', async () => {
    const response = await replay('parkedsvc', `eventId=${first.id}`, { origin: 'https://evil.example' });

    expect(response.statusCode).toBe(403);
    expect(response.json()).toMatchObject({ code: 'CSRF_REJECTED' });
    expect(await service.isParked(first.id)).toBe(true);
  });

  it('when one row is replayed, then only it goes back to the relay and it is gone from the parked list', async () => {
    const response = await replay('parkedsvc', `eventId=${first.id}`);

    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('/admin/queues/outbox?service=parkedsvc&replayed=1#service-parkedsvc');
    expect(await service.isParked(first.id)).toBe(false);
    expect(await service.isParked(second.id)).toBe(true);
    const after = await page('/admin/queues/outbox?service=parkedsvc&replayed=1');
    expect(after.body).toContain('parkedsvc: 1 row was handed back to the outbox relay.');
    expect(after.body).toContain('<strong>1 row is parked.</strong>');
    expect(after.body).not.toContain(`<dd>${first.id}</dd>`);
    expect(after.body).toContain(`<dd>${second.id}</dd>`);
  });

  it('when all are replayed, then nothing stays parked', async () => {
    const response = await replay('parkedsvc', '');

    expect(response.headers.location).toBe('/admin/queues/outbox?service=parkedsvc&replayed=1#service-parkedsvc');
    expect(await service.isParked(second.id)).toBe(false);
    expect((await page()).body).toContain('<strong>0 rows are parked.</strong>');
  });

  it('when a replay asks a service that cannot be reached, then the page says nothing was replayed and why', async () => {
    const response = await replay('ghost', '');

    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('/admin/queues/outbox?service=ghost&failed=unreachable#service-ghost');
    expect((await page(response.headers.location as string)).body).toContain('ghost: nothing was replayed: the service could not be reached.');
  });

  it('when the service is not one configured, or the event id is no UUID, then 404 and 400, not 500', async () => {
    expect((await replay('nowhere', '')).statusCode).toBe(404);
    expect((await replay('parkedsvc', 'eventId=1%27%20or%201%3D1')).statusCode).toBe(400);
  });

  it('when the access token from the sign-in has expired, then the page asks to sign in again and a replay does nothing', async () => {
    const third = parkedEvent('third');
    await service.park(third);
    const later = await h.signInAsAdmin();
    h.clock.now = new Date(Date.now() + 11 * 60_000); // the test signer's tokens last 10 minutes; the session an hour
    try {
      const response = await page('/admin/queues/outbox', later);
      expect(response.body).toContain('The access token from your sign-in has expired');
      const refused = await h.inject({
        method: 'POST',
        url: '/admin/queues/outbox/parkedsvc/replay',
        headers: { ...form, cookie: later, origin: consoleOrigin },
        payload: '',
      });
      expect(refused.headers.location).toBe('/admin/queues/outbox?service=parkedsvc&failed=sign-in#service-parkedsvc');
      expect(await service.isParked(third.id)).toBe(true);
    } finally {
      h.clock.now = new Date();
    }
  });
});

describe('parked outbox rows with no service configured', () => {
  it('when MONITOR_OUTBOX_SERVICES is empty, then the page says no services are configured', async () => {
    const bare = await startMonitor();
    try {
      const adminCookie = await bare.signInAsAdmin();
      const response = await bare.inject({ method: 'GET', url: '/admin/queues/outbox', headers: { ...html, cookie: adminCookie } });
      expect(response.statusCode).toBe(200);
      expect(response.body).toContain('No services configured');
    } finally {
      await bare.close();
    }
  });
});
