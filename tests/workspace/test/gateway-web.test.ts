import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startGateway, type RunningGateway } from './support/nginx.js';

// The real nginx with the real gateway/nginx.conf serving a built web app (a small stand-in for
// apps/web/dist with the same layout: index.html at the root, hashed bundles under assets/).
const indexHtml = '<!doctype html><html><head><script type="module" src="/assets/index-Ab12Cd34.js"></script></head><body><div id="root"></div></body></html>';
const bundle = `console.log(${JSON.stringify('x'.repeat(4000))});`;

let webRoot: string;
let gateway: RunningGateway;

beforeAll(async () => {
  webRoot = mkdtempSync(join(tmpdir(), 'trendcast-web-'));
  mkdirSync(join(webRoot, 'assets'));
  writeFileSync(join(webRoot, 'index.html'), indexHtml);
  writeFileSync(join(webRoot, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  writeFileSync(join(webRoot, 'assets/index-Ab12Cd34.js'), bundle);
  writeFileSync(join(webRoot, 'assets/index-Ab12Cd34.css'), 'body{margin:0}');
  // nginx workers run unprivileged.
  for (const dir of [webRoot, join(webRoot, 'assets')]) chmodSync(dir, 0o755);
  const nobody = await freePort();
  gateway = await startGateway({ services: ['users', 'trends'], upstreams: { users: `127.0.0.1:${nobody}`, trends: `127.0.0.1:${nobody}` }, webRoot });
});

afterAll(async () => {
  await gateway?.stop();
  if (webRoot) rmSync(webRoot, { recursive: true, force: true });
});

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

describe('gateway serving the web app', () => {
  it('when a client-side route is opened (an emailed link), then index.html answers 200 and is never cached stale', async () => {
    for (const path of ['/', '/verify-email?token=abc', '/reset-password?token=abc', '/searches/new', '/settings/notifications', '/posts/123', '/drafts?generation=9']) {
      const response = await get(path);

      expect(response.status, path).toBe(200);
      expect(response.headers['content-type'], path).toMatch(/^text\/html/);
      expect(response.body.toString(), path).toBe(indexHtml);
      expect(response.headers['cache-control'], path).toBe('no-cache');
    }
  });

  it('when the app is served, then its CSP allows only its own scripts and styles (no inline code) and framing is refused', async () => {
    const response = await get('/sign-in');
    const csp = String(response.headers['content-security-policy']);

    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    expect(response.headers['x-frame-options']).toBe('DENY');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['x-request-id']).toMatch(/^[0-9a-f]{32}$/);
  });

  it('when a hashed bundle is requested, then it is JavaScript, cached for a year as immutable, and gzipped for clients that accept it', async () => {
    const response = await get('/assets/index-Ab12Cd34.js', { 'accept-encoding': 'gzip' });

    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('application/javascript');
    expect(response.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(response.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(response.body).toString()).toBe(bundle);
    expect((await get('/assets/index-Ab12Cd34.css')).headers['content-type']).toBe('text/css');
  });

  it('when a bundle of an older release is missing, then it is a JSON 404, never index.html parsed as code', async () => {
    const response = await get('/assets/index-Gone0000.js');

    expect(response.status).toBe(404);
    expect(JSON.parse(response.body.toString())).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('when a file at the root exists (the icon), then it is served as itself', async () => {
    const response = await get('/favicon.svg');

    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('image/svg+xml');
  });

  it('when an API path has no service behind it, then it stays a JSON 404 and does not fall back to the app', async () => {
    const response = await get('/api/unknown/thing');

    expect(response.status).toBe(404);
    expect(JSON.parse(response.body.toString())).toMatchObject({ code: 'NOT_FOUND' });
  });
});
