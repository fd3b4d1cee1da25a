import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startGateway, type RunningGateway } from './support/nginx.js';

// The real nginx with the real gateway/nginx.conf routing the operators' console (/admin/queues) to a
// stand-in monitor that answers with what it received, as the monitor's own pages and API would.
interface Seen {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

const monitorPolicy = "default-src 'none'; script-src 'self'; style-src 'self'";

let monitor: Server;
const seen: Seen[] = [];
let webRoot: string;
let gateway: RunningGateway;
let withoutConsole: RunningGateway;

beforeAll(async () => {
  monitor = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const request = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body };
      seen.push(request);
      if (req.url === '/admin/queues/api/queues') {
        res.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'Sign in to the console first', code: 'UNAUTHENTICATED' }));
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json', 'content-security-policy': monitorPolicy, 'cache-control': 'no-store' });
      res.end(JSON.stringify({ service: 'monitor', ...request }));
    });
  });
  await new Promise<void>((resolve) => monitor.listen(0, '127.0.0.1', resolve));
  const monitorPort = (monitor.address() as AddressInfo).port;
  webRoot = mkdtempSync(join(tmpdir(), 'trendcast-web-'));
  writeFileSync(join(webRoot, 'index.html'), '<!doctype html><title>web app</title>');
  chmodSync(webRoot, 0o755);
  const nobody = await freePort();
  gateway = await startGateway({ services: ['users', 'monitor'], upstreams: { users: `127.0.0.1:${nobody}`, monitor: `127.0.0.1:${monitorPort}` }, webRoot });
  withoutConsole = await startGateway({ services: ['users'], upstreams: { users: `127.0.0.1:${nobody}` }, webRoot });
});

afterAll(async () => {
  await gateway?.stop();
  await withoutConsole?.stop();
  monitor?.closeAllConnections();
  await new Promise((resolve) => monitor?.close(resolve));
  if (webRoot) rmSync(webRoot, { recursive: true, force: true });
});

describe('the gateway routing the operators’ console', () => {
  it('when /admin/queues and the paths under it are asked, then the monitor receives the same path and query', async () => {
    for (const path of ['/admin/queues', '/admin/queues/', '/admin/queues/queue/notifier.email?status=failed', '/admin/queues/static/js/main.f107.js', '/admin/queues/dead-letters/notifier.users-events.dead-letter']) {
      const response = await fetch(`${gateway.baseUrl}${path}`);

      expect(response.status, path).toBe(200);
      expect(((await response.json()) as Seen).url, path).toBe(path);
    }
  });

  it('when a form or Bull Board posts a change, then method, body, cookie and Origin reach the monitor untouched, with the forwarded address', async () => {
    const response = await fetch(`${gateway.baseUrl}/admin/queues/dead-letters/q.dead-letter/replay`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: 'trendcast_console=abc.def', origin: 'http://localhost:8080', 'x-forwarded-for': '6.6.6.6' },
      body: 'messageId=42',
    });

    const received = (await response.json()) as Seen;
    expect(received).toMatchObject({ method: 'POST', body: 'messageId=42' });
    expect(received.headers).toMatchObject({ cookie: 'trendcast_console=abc.def', origin: 'http://localhost:8080', 'x-forwarded-for': '127.0.0.1' });
    expect(received.headers['x-request-id']).toMatch(/^[0-9a-f]{32}$/);
  });

  it('when the monitor answers, then its own policy and no-store reach the browser beside the gateway’s headers', async () => {
    const response = await fetch(`${gateway.baseUrl}/admin/queues/sign-in`);

    expect(response.headers.get('cache-control')).toBe('no-store');
    const policies = response.headers.get('content-security-policy') ?? '';
    expect(policies).toContain(monitorPolicy);
    expect(policies).toContain("frame-ancestors 'none'");
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    // A form's POST carries the page's origin only when the policy lets it (no-referrer sends Origin: null).
    expect(response.headers.get('referrer-policy')).toBe('same-origin');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('x-request-id')).toBeTruthy();
    expect(response.headers.get('server')).toBe('nginx');
  });

  it('when the monitor refuses a request itself, then its own JSON passes through', async () => {
    const response = await fetch(`${gateway.baseUrl}/admin/queues/api/queues`);

    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ error: 'Sign in to the console first', code: 'UNAUTHENTICATED' });
  });

  it('when a path only starts like the console, then it is the web app’s, not the monitor’s', async () => {
    const before = seen.length;

    const response = await fetch(`${gateway.baseUrl}/admin/queuesish`);

    expect(await response.text()).toContain('web app');
    expect(seen.length).toBe(before);
  });

  it('when the gateway does not route the monitor, then /admin/queues reaches no service', async () => {
    const before = seen.length;

    const response = await fetch(`${withoutConsole.baseUrl}/admin/queues/api/queues`);

    expect(await response.text()).toContain('web app');
    expect(seen.length).toBe(before);
  });
});

describe('the gateway when the monitor is down', () => {
  it('when the monitor does not answer, then the caller gets the gateway’s 502 JSON', async () => {
    const nobody = await freePort();
    const down = await startGateway({ services: ['users', 'monitor'], upstreams: { users: `127.0.0.1:${nobody}`, monitor: `127.0.0.1:${nobody}` }, webRoot });
    try {
      const response = await fetch(`${down.baseUrl}/admin/queues`);

      expect(response.status).toBe(502);
      expect(await response.json()).toMatchObject({ code: 'BAD_GATEWAY' });
    } finally {
      await down.stop();
    }
  });
});

describe('the gateway braking the console', () => {
  it('when one address floods the console with changes, then it gets 429 JSON while Bull Board\'s reads still pass', async () => {
    const monitorPort = (monitor.address() as AddressInfo).port;
    const nobody = await freePort();
    const braked = await startGateway({ services: ['users', 'monitor'], upstreams: { users: `127.0.0.1:${nobody}`, monitor: `127.0.0.1:${monitorPort}` }, webRoot });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 40; i++) {
        const response = await fetch(`${braked.baseUrl}/admin/queues/api/queues/q/1/retry`, { method: 'PUT', headers: { origin: braked.baseUrl } });
        statuses.push(response.status);
        await response.arrayBuffer();
      }
      const refused = await fetch(`${braked.baseUrl}/admin/queues/api/queues/q/1/retry`, { method: 'PUT' });

      expect(statuses.filter((status) => status === 200).length).toBeLessThanOrEqual(31);
      expect(refused.status).toBe(429);
      expect(await refused.json()).toMatchObject({ code: 'RATE_LIMITED' });
      expect(refused.headers.get('retry-after')).toBeTruthy();
      expect((await fetch(`${braked.baseUrl}/admin/queues/api/queues?activeQueue=q`)).status).toBe(200);
    } finally {
      await braked.stop();
    }
  });
});
