import { randomUUID } from 'node:crypto';
import type { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queueWithFailedJob } from './support/queues.js';
import { consoleOrigin, sessionCookieOf, startMonitor, type MonitorHarness } from './support/service.js';

let h: MonitorHarness;
let queue: Queue;
let jobId: string;
const queueName = 'reports.render';
const html = { accept: 'text/html,application/xhtml+xml' };

beforeAll(async () => {
  h = await startMonitor();
  const made = await queueWithFailedJob({ redis: h.redis, prefix: h.prefixes[0]!, name: queueName });
  queue = made.queue;
  jobId = made.job.id!;
  await h.monitor.refresh();
});

afterAll(async () => {
  await queue?.close();
  await h?.close();
});

describe('a signed-out visitor', () => {
  it('when a browser opens the board, then it is sent to the sign-in page, which comes back to the board', async () => {
    const response = await h.inject({ method: 'GET', url: '/admin/queues/queue/reports.render?status=failed', headers: html });

    expect(response.statusCode).toBe(303);
    const location = new URL(response.headers.location as string, consoleOrigin);
    expect(location.pathname).toBe('/admin/queues/sign-in');
    expect(location.searchParams.get('next')).toBe('/admin/queues/queue/reports.render?status=failed');
    expect(response.body).not.toContain(queueName);
  });

  it('when a script calls the board API, then it gets 401 JSON and no queue names', async () => {
    for (const url of ['/admin/queues/api/queues', '/admin/queues/api/redis/stats', `/admin/queues/api/queues/${queueName}/${jobId}`]) {
      const response = await h.inject({ method: 'GET', url });

      expect(response.statusCode, url).toBe(401);
      expect(response.json()).toEqual({ error: 'Sign in to the console first', code: 'UNAUTHENTICATED' });
    }
  });

  it('when the dead-letter pages are opened, then they too send the browser to sign in', async () => {
    const response = await h.inject({ method: 'GET', url: '/admin/queues/dead-letters', headers: html });

    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toMatch(/^\/admin\/queues\/sign-in\?next=%2Fadmin%2Fqueues%2Fdead-letters$/);
  });

  it('when the sign-in page is opened, then it is a form with its script loaded from the monitor, no inline code, and a strict policy', async () => {
    const response = await h.inject({ method: 'GET', url: '/admin/queues/sign-in?next=/admin/queues/dead-letters', headers: html });

    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.headers['content-security-policy']).toContain("script-src 'self';");
    expect(response.headers['content-security-policy']).not.toContain('unsafe-inline');
    // Under no-referrer a browser sends `Origin: null` on the console's form posts, which the access check refuses.
    expect(response.headers['referrer-policy']).toBe('same-origin');
    expect(response.body).toContain('<form id="sign-in"');
    expect(response.body).toContain('data-next="/admin/queues/dead-letters"');
    const scripts = [...response.body.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.map((match) => match[1]!.trim())).toEqual(['src="/admin/queues/assets/sign-in.js" defer']);
    expect(scripts.every((match) => match[2] === '')).toBe(true);
    expect(response.body).not.toMatch(/\son[a-z]+=/i);
    expect((await h.inject({ method: 'GET', url: '/admin/queues/assets/sign-in.js' })).headers['content-type']).toBe('text/javascript; charset=utf-8');
  });

  it('when the next page named is another site, then signing in leads to the board instead', async () => {
    for (const next of ['https://evil.example/admin/queues', '//evil.example/admin/queues', '/admin/queues/..//evil.example', '/elsewhere']) {
      const response = await h.inject({ method: 'GET', url: `/admin/queues/sign-in?next=${encodeURIComponent(next)}`, headers: html });

      expect(response.body, next).toContain('data-next="/admin/queues"');
    }
  });
});

describe('signing in with an access token', () => {
  it('when a non-admin presents their token, then 403, no cookie, and not one queue name in the answer', async () => {
    const response = await h.inject({
      method: 'POST',
      url: '/admin/queues/session',
      headers: { ...(await h.signer.headersFor(randomUUID(), 'user')), origin: consoleOrigin },
    });

    expect(response.statusCode).toBe(403);
    expect(response.json()).toMatchObject({ code: 'NOT_ADMIN' });
    expect(response.headers['set-cookie']).toBeUndefined();
    expect(response.body).not.toContain(queueName);
  });

  it('when a non-admin sends their token straight to the board API, then it is not a way in', async () => {
    const response = await h.inject({ method: 'GET', url: '/admin/queues/api/queues', headers: await h.signer.headersFor(randomUUID(), 'user') });

    expect(response.statusCode).toBe(401);
    expect(response.body).not.toContain(queueName);
  });

  it('when the token is not one the users service signed, then 401 and no session', async () => {
    const forged = `${(await h.signer.tokenFor(randomUUID(), 'admin')).slice(0, -4)}AAAA`;
    const response = await h.inject({ method: 'POST', url: '/admin/queues/session', headers: { authorization: `Bearer ${forged}`, origin: consoleOrigin } });

    expect(response.statusCode).toBe(401);
    expect(response.headers['set-cookie']).toBeUndefined();
  });

  it('when an admin presents their token, then the session cookie is httpOnly, SameSite=Strict, Secure, scoped to the console and expiring with the session', async () => {
    const response = await h.inject({
      method: 'POST',
      url: '/admin/queues/session',
      headers: { ...(await h.signer.headersFor(randomUUID(), 'admin')), origin: consoleOrigin },
    });

    expect(response.statusCode).toBe(204);
    const header = String(response.headers['set-cookie']);
    expect(header).toMatch(/^trendcast_console=[^;]+;/);
    expect(header).toContain('; HttpOnly');
    expect(header).toContain('; SameSite=Strict');
    expect(header).toContain('; Secure');
    expect(header).toContain('; Path=/admin/queues');
    expect(header).toContain(`; Max-Age=${h.config.MONITOR_SESSION_TTL_SECONDS}`);
    expect(h.config.MONITOR_SESSION_TTL_SECONDS).toBe(3600);
  });

  it('when a session is opened from another site (no same-origin Origin), then 403 and no cookie', async () => {
    const headers = await h.signer.headersFor(randomUUID(), 'admin');
    for (const origin of [undefined, 'https://evil.example']) {
      const response = await h.inject({ method: 'POST', url: '/admin/queues/session', headers: origin ? { ...headers, origin } : headers });

      expect(response.statusCode).toBe(403);
      expect(response.json()).toMatchObject({ code: 'CSRF_REJECTED' });
      expect(response.headers['set-cookie']).toBeUndefined();
    }
  });
});

describe('an admin with a session', () => {
  it('when the board and its API are asked, then they answer with the queues', async () => {
    const cookie = await h.signInAsAdmin();

    const page = await h.inject({ method: 'GET', url: '/admin/queues', headers: { ...html, cookie } });
    const api = await h.inject({ method: 'GET', url: '/admin/queues/api/queues?activeQueue=reports.render&status=failed', headers: { cookie } });

    expect(page.statusCode).toBe(200);
    expect(page.headers['cache-control']).toBe('no-store');
    // Bull Board's page loads no fonts from Google: operators' browsers ask nobody but us.
    expect(page.body).not.toContain('fonts.googleapis.com');
    expect(page.body).toContain('Trendcast queues');
    expect(api.statusCode).toBe(200);
    const queues = (api.json() as { queues: { name: string; counts: Record<string, number>; jobs: { id: string; failedReason?: string }[] }[] }).queues;
    const reports = queues.find((q) => q.name === queueName);
    expect(reports?.counts.failed).toBe(1);
    expect(reports?.jobs[0]).toMatchObject({ id: jobId, failedReason: 'the report template is missing' });
  });

  it('when a retry comes from another site, or without an Origin, then it is refused and the job stays failed', async () => {
    const cookie = await h.signInAsAdmin();
    for (const origin of ['https://evil.example', undefined]) {
      const response = await h.inject({ method: 'PUT', url: `/admin/queues/api/queues/${queueName}/${jobId}/retry`, headers: origin ? { cookie, origin } : { cookie } });

      expect(response.statusCode).toBe(403);
      expect(response.json()).toMatchObject({ code: 'CSRF_REJECTED' });
    }
    expect(await queue.getJobState(jobId)).toBe('failed');
  });

  it('when a retry comes from the console with an Origin but no session, then 401 and the job stays failed', async () => {
    const response = await h.inject({ method: 'PUT', url: `/admin/queues/api/queues/${queueName}/${jobId}/retry`, headers: { origin: consoleOrigin } });

    expect(response.statusCode).toBe(401);
    expect(await queue.getJobState(jobId)).toBe('failed');
  });

  it('when the failed job is retried through Bull Board with the session and our Origin, then it waits to run again', async () => {
    const cookie = await h.signInAsAdmin();

    const response = await h.inject({ method: 'PUT', url: `/admin/queues/api/queues/${queueName}/${jobId}/retry`, headers: { cookie, origin: consoleOrigin } });

    expect(response.statusCode).toBe(204);
    expect(await queue.getJobState(jobId)).toBe('waiting');
  });

  it('when the cookie is altered, then it is no session', async () => {
    const cookie = await h.signInAsAdmin();
    const [name, value] = cookie.split('=') as [string, string];
    const altered = `${name}=${value.slice(0, 10)}${value[10] === 'A' ? 'B' : 'A'}${value.slice(11)}`;

    const response = await h.inject({ method: 'GET', url: '/admin/queues/api/queues', headers: { cookie: altered } });

    expect(response.statusCode).toBe(401);
  });

  it('when the session has lived MONITOR_SESSION_TTL_SECONDS, then it is over and the browser is told so on the sign-in page', async () => {
    const cookie = await h.signInAsAdmin();
    const later = new Date(h.clock.now.getTime() + h.config.MONITOR_SESSION_TTL_SECONDS * 1000);
    try {
      h.clock.now = new Date(later.getTime() - 1000);
      expect((await h.inject({ method: 'GET', url: '/admin/queues/api/queues', headers: { cookie } })).statusCode).toBe(200);

      h.clock.now = later;
      const response = await h.inject({ method: 'GET', url: '/admin/queues', headers: { ...html, cookie } });

      expect(response.statusCode).toBe(303);
      expect(response.headers.location).toContain('notice=expired');
    } finally {
      h.clock.now = new Date();
    }
  });

  it('when the admin signs out, then that cookie opens nothing any more, even replayed', async () => {
    const cookie = await h.signInAsAdmin();

    const signOut = await h.inject({ method: 'POST', url: '/admin/queues/sign-out', headers: { ...html, cookie, origin: consoleOrigin } });

    expect(signOut.statusCode).toBe(303);
    expect(signOut.headers.location).toBe('/admin/queues/sign-in?notice=signed-out');
    expect(String(signOut.headers['set-cookie'])).toMatch(/^trendcast_console=; .*Expires=Thu, 01 Jan 1970/);
    expect((await h.inject({ method: 'GET', url: '/admin/queues/api/queues', headers: { cookie } })).statusCode).toBe(401);
  });

  it('when a sign-out is posted from another site, then it is refused and the session lives on', async () => {
    const cookie = await h.signInAsAdmin();

    const response = await h.inject({ method: 'POST', url: '/admin/queues/sign-out', headers: { cookie, origin: 'https://evil.example' } });

    expect(response.statusCode).toBe(403);
    expect((await h.inject({ method: 'GET', url: '/admin/queues/api/queues', headers: { cookie } })).statusCode).toBe(200);
  });
});

describe('the session cookie in development', () => {
  it('when NODE_ENV is development, then the cookie goes without Secure (plain http on localhost)', async () => {
    const dev = await startMonitor({ env: { NODE_ENV: 'development' } });
    try {
      const response = await dev.inject({
        method: 'POST',
        url: '/admin/queues/session',
        headers: { ...(await dev.signer.headersFor(randomUUID(), 'admin')), origin: consoleOrigin },
      });

      expect(sessionCookieOf(response)).toBeDefined();
      expect(String(response.headers['set-cookie'])).not.toContain('Secure');
    } finally {
      await dev.close();
    }
  });
});
