import { createServer, request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startGateway, type RunningGateway } from './support/nginx.js';

// The real nginx with the real gateway/nginx.conf, in front of small HTTP servers standing in for
// the services: each answers with what it received, so the test sees what the gateway forwarded.
interface Seen {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
}

interface Upstream {
  server: Server;
  port: number;
  seen: Seen[];
  connections: number;
}

async function startUpstream(name: string): Promise<Upstream> {
  const upstream: Upstream = { server: createServer(), port: 0, seen: [], connections: 0 };
  upstream.server.on('connection', () => upstream.connections++);
  upstream.server.on('request', (req, res) => {
    req.resume();
    req.on('end', () => {
      const seen = { method: req.method ?? '', url: req.url ?? '', headers: req.headers };
      upstream.seen.push(seen);
      if (req.url?.endsWith('/missing')) {
        res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'no such thing', code: 'MISSING_THING' }));
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json', 'x-request-id': 'from-upstream' });
      res.end(JSON.stringify({ service: name, ...seen }));
    });
  });
  await new Promise<void>((resolve) => upstream.server.listen(0, '127.0.0.1', resolve));
  upstream.port = (upstream.server.address() as AddressInfo).port;
  return upstream;
}

let users: Upstream;
let trends: Upstream;
let gateway: RunningGateway;

beforeAll(async () => {
  users = await startUpstream('users');
  trends = await startUpstream('trends');
  const nobodyListening = await freePort();
  gateway = await startGateway({
    services: ['users', 'trends', 'thinker'],
    upstreams: {
      users: `127.0.0.1:${users.port}`,
      trends: `127.0.0.1:${trends.port}`,
      thinker: `127.0.0.1:${nobodyListening}`,
    },
  });
});

afterAll(async () => {
  await gateway?.stop();
  for (const upstream of [users, trends]) {
    upstream?.server.closeAllConnections();
    await new Promise((resolve) => upstream?.server.close(resolve));
  }
});

async function get(path: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${gateway.baseUrl}${path}`, { headers });
  return { response, body: (await response.json()) as Record<string, unknown> };
}

/** A raw request, so a body far over the limit can be sent whatever nginx does with the socket. */
function postRaw(path: string, body: Buffer): Promise<{ status: number; contentType: string; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${gateway.baseUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': body.length },
    });
    req.on('response', (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, contentType: String(res.headers['content-type']), body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('gateway routing', () => {
  it('when the gateway itself is asked /healthz, then it answers without any service', async () => {
    const { response, body } = await get('/healthz');

    expect(response.status).toBe(200);
    expect(body).toEqual({ status: 'ok' });
  });

  it('when /api/users/x is requested, then users receives /users/x with the query string', async () => {
    const { response, body } = await get('/api/users/me/settings?verbose=1');

    expect(response.status).toBe(200);
    expect(body).toMatchObject({ service: 'users', method: 'GET', url: '/users/me/settings?verbose=1' });
  });

  it('when /api/trends/x is requested, then trends receives /trends/x', async () => {
    const { body } = await get('/api/trends/searches/42');

    expect(body).toMatchObject({ service: 'trends', url: '/trends/searches/42' });
  });

  it('when a service readiness path is requested through the gateway, then the service answers its public /readyz/public', async () => {
    const { body } = await get('/api/users/readyz');

    expect(body).toMatchObject({ service: 'users', url: '/readyz/public' });
  });

  it('when requests follow one another, then the gateway reuses its upstream connections', async () => {
    const before = trends.connections;
    for (let i = 0; i < 20; i++) await get('/api/trends/ping');

    expect(trends.connections - before).toBeLessThan(5);
    expect(trends.seen.at(-1)?.headers.connection).toBeUndefined();
  });
});

describe('gateway headers', () => {
  it('when the caller sends request and correlation ids, then the service receives them and the caller gets them back', async () => {
    const { response, body } = await get('/api/users/x', { 'x-request-id': 'req-1', 'x-correlation-id': 'story-7' });
    const headers = body.headers as IncomingHttpHeaders;

    expect(headers['x-request-id']).toBe('req-1');
    expect(headers['x-correlation-id']).toBe('story-7');
    expect(response.headers.get('x-request-id')).toBe('req-1');
    expect(response.headers.get('x-correlation-id')).toBe('story-7');
  });

  it('when the caller sends no ids, then the gateway makes one and the correlation id starts as the request id', async () => {
    const { body } = await get('/api/users/x');
    const headers = body.headers as IncomingHttpHeaders;

    expect(headers['x-request-id']).toMatch(/^[0-9a-f]{32}$/);
    expect(headers['x-correlation-id']).toBe(headers['x-request-id']);
  });

  it('when the caller sends an id that could forge logs, then it is replaced', async () => {
    const { body } = await get('/api/users/x', { 'x-correlation-id': 'a"b c' });

    expect((body.headers as IncomingHttpHeaders)['x-correlation-id']).toMatch(/^[0-9a-f]{32}$/);
  });

  it('when the caller claims a forwarded address, then the service sees the address the gateway saw', async () => {
    const { body } = await get('/api/users/x', { 'x-forwarded-for': '6.6.6.6' });
    const headers = body.headers as IncomingHttpHeaders;

    expect(headers['x-forwarded-for']).toBe('127.0.0.1');
    expect(headers['x-forwarded-proto']).toBe('http');
  });

  it('when anything answers, then security headers are set and the nginx version is hidden', async () => {
    const { response } = await get('/api/users/x');

    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    expect(response.headers.get('server')).toBe('nginx');
  });
});

describe('gateway errors', () => {
  it('when a service is down, then the caller gets 502 JSON', async () => {
    const { response, body } = await get('/api/thinker/drafts');

    expect(response.status).toBe(502);
    expect(response.headers.get('content-type')).toContain('application/json');
    expect(body).toMatchObject({ code: 'BAD_GATEWAY', error: expect.any(String) });
  });

  it('when an API path matches no service, then the caller gets 404 JSON', async () => {
    for (const path of ['/api/nope', '/api/tweeter/posts', '/api/notifier/healthz']) {
      const { response, body } = await get(path);

      expect(response.status).toBe(404);
      expect(body).toMatchObject({ code: 'NOT_FOUND' });
    }
  });

  it("when a service answers an error itself, then its own body passes through", async () => {
    const { response, body } = await get('/api/users/missing');

    expect(response.status).toBe(404);
    expect(body).toEqual({ error: 'no such thing', code: 'MISSING_THING' });
  });

  it('when a body is over 64 KiB, then the caller gets 413 JSON and the service never sees it', async () => {
    const seenBefore = users.seen.length;
    const result = await postRaw('/api/users/profile', Buffer.alloc(100 * 1024, 'a'));

    expect(result.status).toBe(413);
    expect(result.contentType).toContain('application/json');
    expect(JSON.parse(result.body)).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
    expect(users.seen.length).toBe(seenBefore);
  });

  it('when login is hammered from one address, then the gateway answers 429 JSON', async () => {
    const statuses: number[] = [];
    let limited: Response | undefined;
    for (let i = 0; i < 15; i++) {
      const response = await fetch(`${gateway.baseUrl}/api/users/login`, { method: 'POST', body: '{}' });
      statuses.push(response.status);
      if (response.status === 429) limited = response;
      else await response.arrayBuffer();
    }

    expect(statuses[0]).toBe(200);
    expect(users.seen.some((seen) => seen.url === '/users/login' && seen.method === 'POST')).toBe(true);
    expect(limited).toBeDefined();
    expect(limited?.headers.get('retry-after')).toBeTruthy();
    expect(await limited?.json()).toMatchObject({ code: 'RATE_LIMITED' });
  });
});
