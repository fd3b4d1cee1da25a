import { execFileSync } from 'node:child_process';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type RunningGateway } from './support/nginx.js';
import { repoRoot } from './support/repo.js';

// The real nginx on the real gateway/nginx.conf in front of stand-ins for thinker and tweeter and for
// the compose deployment's web UIs (Grafana at /grafana/, the mail catcher at /mail/): the routes,
// the brakes on the costly writes, and what must stay inside.
interface Seen {
  service: string;
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
}

interface Upstream {
  name: string;
  server: Server;
  port: number;
  seen: Seen[];
}

async function startUpstream(name: string): Promise<Upstream> {
  const upstream: Upstream = { name, server: createServer(), port: 0, seen: [] };
  upstream.server.on('request', (req, res) => {
    req.resume();
    req.on('end', () => {
      const seen = { service: name, method: req.method ?? '', url: req.url ?? '', headers: req.headers };
      upstream.seen.push(seen);
      // The mail catcher's basic auth: its own 401 and challenge pass through.
      if (name === 'maildev' && !req.headers.authorization) {
        res.writeHead(401, { 'www-authenticate': 'Basic realm="Authentication required"', 'content-type': 'text/plain' }).end('Unauthorized');
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(seen));
    });
  });
  await new Promise<void>((resolve) => upstream.server.listen(0, '127.0.0.1', resolve));
  upstream.port = (upstream.server.address() as AddressInfo).port;
  return upstream;
}

const names = ['users', 'trends', 'thinker', 'tweeter', 'monitor', 'notifier', 'grafana', 'maildev'] as const;
type Name = (typeof names)[number];
const upstreams = {} as Record<Name, Upstream>;
/** Routes what compose routes; notifier is given an upstream only to prove nothing reaches it. */
const composeServices = ['users', 'trends', 'thinker', 'tweeter', 'monitor', 'grafana', 'maildev'];
let gateway: RunningGateway;
const gateways: RunningGateway[] = [];

async function freshGateway(): Promise<RunningGateway> {
  const started = await startGateway({
    services: composeServices,
    upstreams: Object.fromEntries(composeServices.map((name) => [name, `127.0.0.1:${upstreams[name as Name].port}`])),
  });
  gateways.push(started);
  return started;
}

beforeAll(async () => {
  for (const name of names) upstreams[name] = await startUpstream(name);
  gateway = await freshGateway();
});

afterAll(async () => {
  for (const started of gateways) await started.stop();
  for (const upstream of Object.values(upstreams)) {
    upstream.server.closeAllConnections();
    await new Promise((resolve) => upstream.server.close(resolve));
  }
});

async function send(base: RunningGateway, path: string, init: RequestInit = {}) {
  const response = await fetch(`${base.baseUrl}${path}`, { redirect: 'manual', ...init });
  const text = await response.text();
  return { response, text, json: () => JSON.parse(text) as Record<string, unknown> };
}

const postJson = { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' } as const;

/** Sends `count` requests side by side and returns their statuses and the first 429. */
async function flood(base: RunningGateway, path: string, count: number, init: RequestInit = postJson) {
  const answers = await Promise.all(Array.from({ length: count }, () => send(base, path, init)));
  return { statuses: answers.map((answer) => answer.response.status), limited: answers.find((answer) => answer.response.status === 429) };
}

describe('the gateway routing thinker and tweeter', () => {
  it.each([
    ['/api/thinker/drafts?status=ready', 'thinker', '/thinker/drafts?status=ready'],
    ['/api/thinker/generations/0b5e/drafts', 'thinker', '/thinker/generations/0b5e/drafts'],
    ['/api/tweeter/channels', 'tweeter', '/tweeter/channels'],
    ['/api/tweeter/timeline?limit=5', 'tweeter', '/tweeter/timeline?limit=5'],
  ])('when %s is asked, then %s receives %s', async (path, service, url) => {
    const { response, json } = await send(gateway, path);

    expect(response.status).toBe(200);
    expect(json()).toMatchObject({ service, url });
  });

  it.each([
    ['/api/thinker/generations', '/thinker/generations'],
    ['/api/thinker/drafts/7c1f/approve', '/thinker/drafts/7c1f/approve'],
    ['/api/tweeter/posts', '/tweeter/posts'],
  ])('when a costly write %s is sent once, then it reaches the service as %s with its forwarded headers', async (path, url) => {
    const { response, json } = await send(gateway, path, { ...postJson, headers: { ...postJson.headers, authorization: 'Bearer abc', 'x-forwarded-for': '6.6.6.6' } });

    expect(response.status).toBe(200);
    const seen = json() as unknown as Seen;
    expect(seen).toMatchObject({ method: 'POST', url });
    expect(seen.headers).toMatchObject({ authorization: 'Bearer abc', 'x-forwarded-for': '127.0.0.1' });
    expect(seen.headers['x-request-id']).toMatch(/^[0-9a-f]{32}$/);
  });

  it.each(['/api/tweeter/channels/mastodon/callback', '/api/tweeter/oauth/mastodon/callback'])(
    "when Mastodon sends the browser back to %s, then tweeter receives the code and state, and the gateway's log keeps neither",
    async (path) => {
      const code = 'MastodonAuthorizationCodeSecret0123456789';
      const { response, json } = await send(gateway, `${path}?code=${code}&state=st4te`);

      expect(response.status).toBe(200);
      expect(json()).toMatchObject({ service: 'tweeter', method: 'GET', url: `${path.replace('/api', '')}?code=${code}&state=st4te` });
      expect(gateway.accessLog()).toContain(`"path":"${path}"`);
      expect(gateway.accessLog()).not.toContain(code);
    },
  );
});

describe('the brakes on costly writes', () => {
  it.each([
    ['/api/thinker/generations', '10', 3],
    ['/api/thinker/drafts/7c1f/approve', '3', 10],
    ['/api/tweeter/posts', '3', 10],
  ])('when one address floods POST %s, then the gateway answers 429 JSON with Retry-After %s beyond its burst', async (path, retryAfter, burst) => {
    const fresh = await freshGateway();
    const service = path.split('/')[2] as Name;
    const before = upstreams[service].seen.length;

    const { statuses, limited } = await flood(fresh, path, burst + 6);

    expect(statuses.filter((status) => status === 200).length).toBeLessThanOrEqual(burst + 1);
    expect(limited).toBeDefined();
    expect(limited!.response.headers.get('retry-after')).toBe(retryAfter);
    expect(limited!.response.headers.get('content-type')).toBe('application/json');
    expect(limited!.json()).toMatchObject({ code: 'RATE_LIMITED' });
    expect(upstreams[service].seen.length - before).toBe(statuses.filter((status) => status === 200).length);
  });

  it('when generations are only read, then the generation brake does not count them', async () => {
    const fresh = await freshGateway();

    const { statuses } = await flood(fresh, '/api/thinker/generations?limit=5', 25, { method: 'GET' });

    expect(statuses.every((status) => status === 200)).toBe(true);
  });

  it('when approvals are flooded, then posts from the same address share the publishing brake, and drafts are still readable', async () => {
    const fresh = await freshGateway();
    await flood(fresh, '/api/thinker/drafts/a/approve', 16);

    const post = await send(fresh, '/api/tweeter/posts', postJson);
    const read = await send(fresh, '/api/thinker/drafts');

    expect(post.response.status).toBe(429);
    expect(read.response.status).toBe(200);
  });
});

describe('what stays inside', () => {
  it.each([
    '/api/notifier/healthz',
    '/api/notifier/metrics',
    '/api/monitor/metrics',
    '/api/monitor/readyz',
    '/api/grafana/api/health',
    '/api/maildev/email',
    '/api/thinker/../../metrics',
    '/api/tweeter/%2e%2e/metrics',
    '/api/metrics',
    '/grafana/metrics',
  ])('when %s is asked, then no service sees a /metrics or internal path', async (path) => {
    const before = Object.fromEntries(names.map((name) => [name, upstreams[name].seen.length]));

    const { response } = await send(gateway, path);

    // A gateway 4xx, or (for a path outside /api/ once normalised) the web app's page.
    if (response.status === 200) expect(response.headers.get('content-type')).toContain('text/html');
    else expect([404, 400]).toContain(response.status);
    expect(upstreams.notifier.seen).toEqual([]);
    for (const name of names) {
      const reached = upstreams[name].seen.slice(before[name]);
      expect(reached.map((seen) => seen.url).filter((url) => /(^|\/)metrics(\?|$)/.test(url)), name).toEqual([]);
    }
  });

  it("when thinker's and tweeter's /metrics are asked under their prefix, then they receive their own prefixed path, never /metrics", async () => {
    for (const service of ['thinker', 'tweeter'] as const) {
      const { json } = await send(gateway, `/api/${service}/metrics`);
      expect(json()).toMatchObject({ url: `/${service}/metrics` });
    }
  });
});

describe('the compose web UIs', () => {
  it('when /grafana/ paths are asked, then Grafana receives them unchanged (it serves from its sub path)', async () => {
    for (const path of ['/grafana/', '/grafana/d/trendcast-overview/trendcast?orgId=1', '/grafana/public/build/app.js', '/grafana/api/health']) {
      const { response, json } = await send(gateway, path);
      expect(response.status, path).toBe(200);
      expect(json(), path).toMatchObject({ service: 'grafana', url: path });
      expect(response.headers.get('x-frame-options')).toBe('DENY');
      // Grafana sends its own policy; the gateway's none-at-all would blank its pages.
      expect(response.headers.get('content-security-policy')).toBeNull();
    }
    const bare = await send(gateway, '/grafana');
    expect(bare.response.status).toBe(301);
    expect(bare.response.headers.get('location')).toBe('/grafana/');
  });

  it('when Grafana is sent a change, then it sees the Host as the browser sent it, port included, and the forwarded headers', async () => {
    const port = new URL(gateway.baseUrl).port;
    const { json } = await send(gateway, '/grafana/api/ds/query', { ...postJson, headers: { ...postJson.headers, origin: gateway.baseUrl, 'x-forwarded-for': '6.6.6.6' } });

    const seen = json() as unknown as Seen;
    expect(seen.headers.host).toBe(`127.0.0.1:${port}`);
    expect(seen.headers.origin).toBe(gateway.baseUrl);
    expect(seen.headers['x-forwarded-for']).toBe('127.0.0.1');
    expect(seen.headers['x-request-id']).toMatch(/^[0-9a-f]{32}$/);
    expect(seen.headers.connection ?? '').not.toMatch(/close/i);
  });

  it("when Grafana's sign-in is flooded, then it gets the account endpoints' brake", async () => {
    const fresh = await freshGateway();

    const { limited } = await flood(fresh, '/grafana/login', 12, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"user":"admin","password":"x"}' });

    expect(limited?.response.headers.get('retry-after')).toBe('6');
    expect(limited?.json()).toMatchObject({ code: 'RATE_LIMITED' });
  });

  it('when /mail/ is asked without credentials, then the mail catcher challenges for them; with them, it answers', async () => {
    const anonymous = await send(gateway, '/mail/email');
    const signedIn = await send(gateway, '/mail/email', { headers: { authorization: `Basic ${Buffer.from('mail:pw').toString('base64')}` } });

    expect(anonymous.response.status).toBe(401);
    expect(anonymous.response.headers.get('www-authenticate')).toContain('Basic');
    expect(signedIn.response.status).toBe(200);
    expect(signedIn.json()).toMatchObject({ service: 'maildev', url: '/mail/email' });
    // It previews each email in a frame of its own page.
    expect(signedIn.response.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect((await send(gateway, '/mail')).response.headers.get('location')).toBe('/mail/');
  });

  it('when the gateway is rendered for a local run, then it routes neither Grafana nor the mail catcher', () => {
    const conf = execFileSync(process.execPath, [join(repoRoot, 'scripts/render-gateway.mjs'), '--target', 'local'], { encoding: 'utf8' });

    expect(conf).not.toMatch(/location[^{]*\/grafana/);
    expect(conf).not.toMatch(/location[^{]*\/mail/);
    expect(conf).toMatch(/location \/api\/thinker\//);
    expect(conf).toMatch(/location \/api\/tweeter\//);
  });
});
