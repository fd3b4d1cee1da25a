import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildServiceApp, createMetrics, createLogger, localKeys, type ServiceApp } from '@trendcast/service-kit';
import { createTestTokenSigner, type TestTokenSigner } from '@trendcast/testing';
import type { OpenAPIV3 } from 'openapi-types';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { freePort, startGateway, type RunningGateway } from './support/nginx.js';

// The real nginx with the real gateway/nginx.conf and the API page scripts/render-gateway.mjs
// writes, in front of small services built on the real service kit: what the page shows is the
// kit's own document, proxied. thinker is routed but not running; tweeter is not routed at all.
const userId = '00000000-0000-4000-8000-0000000000aa';
const secretReason = 'connect ECONNREFUSED 10.9.8.7:5432 (password authentication failed for "svc")';

let signer: TestTokenSigner;
let users: ServiceApp;
let trends: ServiceApp;
let gateway: RunningGateway;
const seenByUsers: string[] = [];

async function startKitService(name: string, routes: (app: ServiceApp) => void, failingReadiness = false): Promise<ServiceApp> {
  const app = await buildServiceApp({
    service: name,
    logger: createLogger({ service: name, level: 'silent' }),
    metrics: createMetrics(name, { defaultMetrics: false }),
    accessTokens: { keys: localKeys([signer.publicJwk]), issuer: 'trendcast-users', audience: 'trendcast' },
    readiness: failingReadiness ? { postgres: () => Promise.reject(new Error(secretReason)) } : {},
    openapi: { title: `Trendcast ${name}`, version: '1' },
  });
  routes(app);
  await app.listen({ host: '127.0.0.1', port: 0 });
  return app;
}

const portOf = (app: ServiceApp) => (app.server.address() as AddressInfo).port;

beforeAll(async () => {
  signer = await createTestTokenSigner();
  users = await startKitService(
    'users',
    (app) => {
      app.addHook('onRequest', async (request) => void seenByUsers.push(request.url));
      app.get('/users/me', { preHandler: app.authenticate, schema: { response: { 200: z.object({ id: z.uuid() }) } } }, async (request) => ({
        id: request.user.id,
      }));
      app.get('/users/things/:id', { schema: { params: z.object({ id: z.string() }) } }, async (request) => ({ id: request.params.id }));
    },
    true,
  );
  trends = await startKitService('trends', (app) => {
    app.get('/trends/trending', { preHandler: app.authenticate }, async () => ({ items: [] }));
  });
  const nobody = await freePort();
  gateway = await startGateway({
    services: ['users', 'trends', 'thinker'],
    upstreams: { users: `127.0.0.1:${portOf(users)}`, trends: `127.0.0.1:${portOf(trends)}`, thinker: `127.0.0.1:${nobody}` },
  });
});

afterAll(async () => {
  await gateway?.stop();
  await users?.close();
  await trends?.close();
});

/** A raw GET, so redirects, encodings and odd paths arrive exactly as sent and as answered. */
function get(path: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${gateway.baseUrl}${path}`, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

const json = (body: Buffer) => JSON.parse(body.toString()) as Record<string, unknown>;

describe('the API page at /api/docs', () => {
  it('when /api/docs is opened, then it is sent on to /api/docs/ (same host), which answers the page', async () => {
    const redirect = await get('/api/docs');
    const page = await get('/api/docs/');

    expect(redirect.status).toBe(301);
    expect(redirect.headers.location).toBe('/api/docs/');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.body.toString()).toContain('<div id="swagger-ui"></div>');
  });

  it('when the page loads, then every script and style it names is a file under /api/docs that loads with its type, and no script is inline', async () => {
    const html = (await get('/api/docs/')).body.toString();
    const scripts = [...html.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
    const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1]!);

    expect(scripts.length).toBe(3);
    for (const [, attributes, content] of scripts) {
      expect(attributes).toMatch(/src="\/api\/docs\/[\w.-]+\.js"/);
      expect(content!.trim()).toBe('');
    }
    expect(html).not.toMatch(/<style|\sstyle=|\son\w+=/i);
    const types: Record<string, RegExp> = { js: /^application\/javascript/, css: /^text\/css/, png: /^image\/png/ };
    for (const asset of assets) {
      expect(asset, asset).toMatch(/^\/api\/docs\/[\w.-]+\.(js|css|png)$/);
      const response = await get(asset, { 'accept-encoding': 'gzip' });
      const extension = asset.split('.').pop()!;
      expect(response.status, asset).toBe(200);
      expect(response.headers['content-type'], asset).toMatch(types[extension]!);
      expect(response.headers['cache-control'], asset).toBe('no-cache');
      if (asset.endsWith('-bundle.js')) expect(response.headers['content-encoding'], asset).toBe('gzip');
    }
  });

  it("when the page's config is read, then it lists the documents of users, trends, thinker and tweeter as the gateway serves them, and no outside validator", async () => {
    const response = await get('/api/docs/swagger-config.json');
    const config = json(response.body);

    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(config.urls).toEqual([
      { url: '/api/users/openapi.json', name: 'users' },
      { url: '/api/trends/openapi.json', name: 'trends' },
      { url: '/api/thinker/openapi.json', name: 'thinker' },
      { url: '/api/tweeter/openapi.json', name: 'tweeter' },
    ]);
    expect(config.validatorUrl).toBeNull();
  });

  it('when the page is served, then its CSP allows scripts from this origin only (no inline or eval), calls to this origin only, and no framing', async () => {
    const csp = String((await get('/api/docs/')).headers['content-security-policy']);

    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toMatch(/script-src[^;]*'unsafe-(inline|eval)'/);
  });

  it('when a file outside the page is asked for by a path that climbs out, then nothing but the page is served', async () => {
    for (const path of ['/api/docs/../../nginx.conf', '/api/docs/%2e%2e/nginx.conf', '/api/docs../nginx.conf', '/api/docs/..%2fnginx.conf']) {
      const response = await get(path);

      // Climbing out lands outside /api/docs: the web app's page (its SPA fallback) or a 404, never a file of the gateway's.
      expect([200, 404], path).toContain(response.status);
      if (response.status === 200) expect(response.headers['content-type'], path).toMatch(/^text\/html/);
      expect(response.body.toString(), path).not.toContain('worker_processes');
    }
  });
});

describe('the OpenAPI documents through the gateway', () => {
  it("when a service's document is requested at /api/<service>/openapi.json, then the service's own document arrives, naming the gateway as its server", async () => {
    for (const service of ['users', 'trends']) {
      const response = await get(`/api/${service}/openapi.json`);
      const doc = json(response.body) as unknown as OpenAPIV3.Document;

      expect(response.status, service).toBe(200);
      expect(doc.info.title).toBe(`Trendcast ${service}`);
      expect(doc.servers).toEqual([{ url: '/api', description: 'The Trendcast gateway' }]);
    }
  });

  it('when a documented operation is called where the document says (server + path), then it reaches the service through the gateway, with the bearer token where the document asks for one', async () => {
    const doc = json((await get('/api/users/openapi.json')).body) as unknown as OpenAPIV3.Document;
    const me = doc.paths['/users/me']?.get;
    const authorization = `Bearer ${await signer.tokenFor(userId)}`;

    expect(me?.security).toEqual([{ bearerAuth: [] }]);
    const withToken = await get(`${doc.servers![0]!.url}/users/me`, { authorization });
    const withoutToken = await get(`${doc.servers![0]!.url}/users/me`);
    const thing = await get(`${doc.servers![0]!.url}/users/things/42`);

    expect(withToken.status).toBe(200);
    expect(json(withToken.body)).toEqual({ id: userId });
    expect(withoutToken.status).toBe(401);
    expect(json(thing.body)).toEqual({ id: '42' });
  });

  it('when a listed service is routed but down, or not routed, then its document answers a JSON error the page can show', async () => {
    const down = await get('/api/thinker/openapi.json');
    const unrouted = await get('/api/tweeter/openapi.json');

    expect(down.status).toBe(502);
    expect(json(down.body)).toMatchObject({ code: 'BAD_GATEWAY' });
    expect(unrouted.status).toBe(404);
    expect(json(unrouted.body)).toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('what stays internal', () => {
  it("when a service's metrics are asked for through the gateway, by any path, then the service's /metrics is never reached", async () => {
    seenByUsers.length = 0;
    for (const path of ['/api/users/metrics', '/api/users/../metrics', '/api/users/%2e%2e/metrics', '/api/metrics', '/metrics', '/api/users/..%2fmetrics']) {
      const response = await get(path);

      expect(response.body.toString(), path).not.toContain('# HELP');
    }
    expect(seenByUsers).not.toContain('/metrics');
    const direct = await fetch(`http://127.0.0.1:${portOf(users)}/metrics`);
    expect(await direct.text()).toContain('# HELP');
  });

  it('when a service is not ready, then the gateway says so (503) without the reasons its /readyz gives operators', async () => {
    const direct = await fetch(`http://127.0.0.1:${portOf(users)}/readyz`);
    const response = await get('/api/users/readyz');

    expect(await direct.text()).toContain('ECONNREFUSED');
    expect(response.status).toBe(503);
    expect(json(response.body)).toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
    expect(response.body.toString()).not.toContain('ECONNREFUSED');
    expect(response.body.toString()).not.toContain('postgres');
  });
});

describe('the API page in a browser', () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
  });

  afterAll(() => browser?.close());

  it('when a person opens /api/docs, signs in with a token and tries GET /users/me, then the page shows the users document, lists the four services, breaks no CSP rule, and the call succeeds through the gateway', async () => {
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error' && !/status of (502|404)/.test(message.text())) problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(error.message));
    const outside: string[] = [];
    page.on('request', (request) => {
      if (!request.url().startsWith(gateway.baseUrl) && !request.url().startsWith('data:')) outside.push(request.url());
    });
    // Chromium reports a blocked script or style as a console error too; this names the directive.
    await page.addInitScript({
      content: "document.addEventListener('securitypolicyviolation', (e) => console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI));",
    });

    await page.goto(`${gateway.baseUrl}/api/docs`);
    await page.getByText('Trendcast users').first().waitFor();
    const services = await page.locator('select#select option').allTextContents();
    await page.getByRole('button', { name: 'Authorize' }).first().click();
    await page.locator('.modal-ux .auth-container input').fill(await signer.tokenFor(userId));
    await page.locator('.modal-ux button.authorize').click();
    await page.locator('.modal-ux button.btn-done').click();
    await page.locator('#operations-users-get_users_me').click();
    await page.getByRole('button', { name: 'Try it out' }).click();
    const answer = page.waitForResponse((response) => response.url().endsWith('/api/users/me'));
    await page.getByRole('button', { name: 'Execute' }).click();
    const response = await answer;
    const body: unknown = await response.json();
    const shownStatus = await page.locator('.live-responses-table tbody .response-col_status').first().textContent();
    await page.close();

    expect(services).toEqual(['users', 'trends', 'thinker', 'tweeter']);
    expect(response.status()).toBe(200);
    expect(body).toEqual({ id: userId });
    expect(shownStatus?.trim()).toBe('200');
    expect(problems).toEqual([]);
    expect(outside).toEqual([]);
  });
});
