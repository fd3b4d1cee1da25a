import { createServer, type Server } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { connect, type AddressInfo } from 'node:net';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startGateway, type RunningGateway } from './support/nginx.js';
import { repoRoot } from './support/repo.js';

// The real nginx on the real gateway/nginx.conf, probed the way a hostile client would: malformed
// requests, oversized ones, stalled ones, secrets in query strings, floods of writes. Timeouts are
// shortened through the render script so 408 and 504 arrive in seconds.
interface Upstream {
  server: Server;
  port: number;
  seen: { method: string; url: string }[];
}

async function startUpstream(): Promise<Upstream> {
  const upstream: Upstream = { server: createServer(), port: 0, seen: [] };
  upstream.server.on('request', (req, res) => {
    req.resume();
    req.on('end', () => {
      upstream.seen.push({ method: req.method ?? '', url: req.url ?? '' });
      if (req.url?.endsWith('/slow')) return; // never answers: the gateway must give up (504)
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ url: req.url }));
    });
  });
  await new Promise<void>((resolve) => upstream.server.listen(0, '127.0.0.1', resolve));
  upstream.port = (upstream.server.address() as AddressInfo).port;
  return upstream;
}

interface RawAnswer {
  /** Everything the gateway sent before closing (empty when it closed without a word). */
  text: string;
  status: number | undefined;
  headers: Record<string, string>;
  body: string;
}

/** Sends bytes as they are (no client library would send these requests) and reads until the gateway closes. */
function raw(port: number, bytes: string, o: { endAfterMs?: number } = {}): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let text = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => (text += chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const [head = '', ...rest] = text.split('\r\n\r\n');
      const [statusLine = '', ...headerLines] = head.split('\r\n');
      const headers = Object.fromEntries(
        headerLines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]),
      );
      const status = /^HTTP\/1\.1 (\d{3})/.exec(statusLine)?.[1];
      resolve({ text, status: status ? Number(status) : undefined, headers, body: rest.join('\r\n\r\n') });
    });
    socket.write(bytes, 'latin1');
    if (o.endAfterMs === undefined) return;
    setTimeout(() => socket.end(), o.endAfterMs);
  });
}

const portOf = (url: string) => Number(new URL(url).port);

let users: Upstream;
let trends: Upstream;
let gateway: RunningGateway;
let tlsGateway: RunningGateway;
let webRoot: string;
let port: number;

beforeAll(async () => {
  users = await startUpstream();
  trends = await startUpstream();
  gateway = await startGateway({
    services: ['users', 'trends', 'thinker'],
    upstreams: {
      users: `127.0.0.1:${users.port}`,
      trends: `127.0.0.1:${trends.port}`,
      thinker: `127.0.0.1:${await freePort()}`,
    },
    set: { PROXY_TIMEOUT: '1s', CLIENT_TIMEOUT: '1s' },
  });
  port = portOf(gateway.baseUrl);
  // A stand-in for the built web app, so its pages are served over TLS too.
  webRoot = mkdtempSync(join(tmpdir(), 'trendcast-web-'));
  mkdirSync(join(webRoot, 'assets'));
  writeFileSync(join(webRoot, 'index.html'), '<!doctype html><html><body><div id="root"></div></body></html>');
  writeFileSync(join(webRoot, 'assets/index-Ab12Cd34.js'), 'console.log(1);');
  for (const dir of [webRoot, join(webRoot, 'assets')]) chmodSync(dir, 0o755);
  tlsGateway = await startGateway({ services: ['users'], upstreams: { users: `127.0.0.1:${users.port}` }, tls: true, webRoot });
});

afterAll(async () => {
  await gateway?.stop();
  await tlsGateway?.stop();
  if (webRoot) rmSync(webRoot, { recursive: true, force: true });
  for (const upstream of [users, trends]) {
    upstream?.server.closeAllConnections();
    await new Promise((resolve) => upstream?.server.close(resolve));
  }
});

function expectJsonError(answer: RawAnswer, status: number, code: string) {
  expect(answer.status, answer.text.slice(0, 300)).toBe(status);
  expect(answer.headers['content-type']).toBe('application/json');
  expect(JSON.parse(answer.body)).toEqual({ error: expect.any(String), code, requestId: expect.stringMatching(/^[0-9a-f]{32}$/) });
  expect(answer.headers['x-content-type-options']).toBe('nosniff');
}

const longPath = `/api/users/${'a'.repeat(20_000)}`;
const hugeHeader = 'x'.repeat(20_000);

describe('gateway errors are JSON whatever the request', () => {
  const cases: Array<[string, string, number, string]> = [
    ['a request line that is not HTTP', 'GARBAGE\r\n\r\n', 400, 'BAD_REQUEST'],
    ['HTTP/1.1 without a Host header', 'GET /api/users/me HTTP/1.1\r\n\r\n', 400, 'BAD_REQUEST'],
    ['a NUL (%00) in the path', 'GET /api/users/%00 HTTP/1.1\r\nHost: x\r\n\r\n', 400, 'BAD_REQUEST'],
    ['headers larger than the buffers', `GET /api/users/me HTTP/1.1\r\nHost: x\r\nX-Big: ${hugeHeader}\r\n\r\n`, 400, 'HEADERS_TOO_LARGE'],
    ['an API path matching no service', 'GET /api/nope HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n', 404, 'NOT_FOUND'],
    ['an internal error page asked for directly', 'GET /_gateway/errors/500 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n', 404, 'NOT_FOUND'],
    ['TRACE', 'TRACE /api/users/me HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n', 405, 'METHOD_NOT_ALLOWED'],
    ['a body over 64 KiB', 'POST /api/users/profile HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n', 413, 'PAYLOAD_TOO_LARGE'],
    ['a URI over the header buffers', `GET ${longPath} HTTP/1.1\r\nHost: x\r\n\r\n`, 414, 'URI_TOO_LONG'],
    ['an unknown transfer encoding', 'POST /api/users/x HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: foo\r\n\r\n', 501, 'NOT_IMPLEMENTED'],
    ['a service nobody runs', 'GET /api/thinker/drafts HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n', 502, 'BAD_GATEWAY'],
    ['a service that does not answer in time', 'GET /api/users/slow HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n', 504, 'GATEWAY_TIMEOUT'],
    ['HTTP/2.0 spoken as text', 'GET /api/users/me HTTP/2.0\r\nHost: x\r\n\r\n', 505, 'HTTP_VERSION_NOT_SUPPORTED'],
  ];

  for (const [what, request, status, code] of cases) {
    it(`when the gateway gets ${what}, then it answers ${status} ${code} as JSON`, async () => {
      expectJsonError(await raw(port, request), status, code);
    });
  }

  it('when plain HTTP reaches the TLS port, then it answers 400 HTTPS_REQUIRED as JSON', async () => {
    expectJsonError(await raw(portOf(tlsGateway.tlsBaseUrl!), 'GET /api/users/me HTTP/1.1\r\nHost: x\r\n\r\n'), 400, 'HTTPS_REQUIRED');
  });

  it('when a client stalls in the middle of its body, then the gateway closes the connection without an HTML page (408 logged)', async () => {
    const answer = await raw(port, 'POST /api/users/x HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nab');

    expect(answer.text).toBe('');
    const line = gateway.accessLog().trim().split('\n').map((l) => JSON.parse(l) as { status: number; path: string }).at(-1);
    expect(line).toMatchObject({ status: 408, path: '/api/users/x' });
  });

  it('when the rendered config is read, then every status with an error page has a JSON body carrying that status and a code', () => {
    const conf = tlsGateway.config();
    const pages = [...conf.matchAll(/error_page (\d{3}) (\S+);/g)].map(([, status, uri]) => ({ status: Number(status), uri: uri! }));
    // The ones no request can reach with this config (500, 503) are checked here instead of live.
    expect(pages.map((page) => page.status)).toEqual(expect.arrayContaining([400, 404, 405, 408, 413, 414, 429, 494, 497, 500, 501, 502, 503, 504, 505]));
    for (const page of pages) {
      const block = new RegExp(`location = ${page.uri} \\{\\s*internal;\\s*return (\\d{3}) '(\\{.*\\})';`).exec(conf);
      expect(block, `${page.status} -> ${page.uri}`).not.toBeNull();
      const sentStatus = Number(block![1]);
      expect(sentStatus === page.status || [494, 497].includes(page.status)).toBe(true);
      const body = JSON.parse(block![2]!.replace('$trendcast_request_id', '0'.repeat(32))) as Record<string, unknown>;
      expect(body).toEqual({ error: expect.any(String), code: expect.stringMatching(/^[A-Z_]+$/), requestId: expect.any(String) });
    }
  });
});

describe('gateway and the services\' internal routes', () => {
  it('when a client asks for a service\'s parked outbox rows (/internal/outbox/parked) by any path, then no service is reached', async () => {
    const before = users.seen.length + trends.seen.length;
    for (const path of [
      '/internal/outbox/parked',
      '/api/users/../internal/outbox/parked',
      '/api/users/%2e%2e/internal/outbox/parked',
      '/api/users/..%2finternal/outbox/parked',
      '/api/trends/%2E%2E/%2E%2E/internal/outbox/parked/replay',
      '/api/internal/outbox/parked',
    ]) {
      await raw(port, `GET ${path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
      await raw(port, `POST ${path} HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}`);
    }

    const reached = [...users.seen, ...trends.seen].slice(before).filter((request) => /internal/i.test(decodeURIComponent(request.url)));
    expect(reached).toEqual([]);
  });
});

describe('gateway logs', () => {
  it('when emailed reset and verify links are followed, then neither log keeps their tokens', async () => {
    const secrets = ['ResetSecretTokenResetSecretTokenResetSecre', 'VerifySecretTokenVerifySecretTokenVerifySe', 'QuerySecretValue'];
    await (await fetch(`${gateway.baseUrl}/reset-password?token=${secrets[0]}`)).arrayBuffer();
    await (await fetch(`${gateway.baseUrl}/api/users/verify-email?token=${secrets[1]}&x=1`)).arrayBuffer();
    await (await fetch(`${gateway.baseUrl}/api/thinker/drafts?code=${secrets[2]}`)).arrayBuffer();

    const access = gateway.accessLog();
    const paths = access.trim().split('\n').map((line) => (JSON.parse(line) as { path: string }).path);
    expect(paths).toEqual(expect.arrayContaining(['/reset-password', '/api/users/verify-email', '/api/thinker/drafts']));
    for (const secret of secrets) {
      expect(access).not.toContain(secret);
      expect(gateway.errorLog()).not.toContain(secret);
    }
    // The service itself still gets the whole query string.
    expect(users.seen.some((seen) => seen.url === `/users/verify-email?token=${secrets[1]}&x=1`)).toBe(true);
  });
});

describe('gateway TLS', () => {
  const tlsPort = () => portOf(tlsGateway.tlsBaseUrl!);
  const plainPort = () => portOf(tlsGateway.baseUrl);

  function getTls(path: string): Promise<{ status: number; headers: Record<string, string | string[] | undefined> }> {
    return new Promise((resolve, reject) => {
      const req = httpsRequest(`${tlsGateway.tlsBaseUrl}${path}`, { rejectUnauthorized: false }, (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers }));
      });
      req.on('error', reject);
      req.end();
    });
  }

  it('when an answer goes over TLS, then it carries HSTS; over plain HTTP it does not', async () => {
    const overTls = await getTls('/api/users/me');
    const plain = await raw(port, 'GET /api/users/me HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');

    expect(overTls.status).toBe(200);
    expect(overTls.headers['strict-transport-security']).toBe('max-age=63072000; includeSubDomains');
    expect(plain.status).toBe(200);
    expect(plain.headers['strict-transport-security']).toBeUndefined();
  });

  it("when the web app's pages and bundles go over TLS, then they carry HSTS as well", async () => {
    for (const path of ['/', '/verify-email', '/assets/index-Ab12Cd34.js']) {
      const answer = await getTls(path);
      expect(answer.status, path).toBe(200);
      expect(answer.headers['strict-transport-security'], path).toBe('max-age=63072000; includeSubDomains');
    }
  });

  it('when TLS is on and a client uses plain HTTP, then it is redirected to HTTPS (the gateway health probe excepted)', async () => {
    const redirected = await raw(plainPort(), 'GET /api/users/me?a=1 HTTP/1.1\r\nHost: example.test\r\nConnection: close\r\n\r\n');
    const probe = await raw(plainPort(), 'GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');

    expect(redirected.status).toBe(308);
    expect(redirected.headers.location).toBe(`https://example.test:${tlsPort()}/api/users/me?a=1`);
    expect(probe.status).toBe(200);
  });

  it('when the gateway is rendered without a certificate, then it neither listens with TLS nor sends HSTS', () => {
    const conf = execFileSync(process.execPath, [join(repoRoot, 'scripts/render-gateway.mjs'), '--target', 'compose', '--services', 'users'], {
      encoding: 'utf8',
      env: { ...process.env, GATEWAY_TLS_CERT: '', GATEWAY_TLS_KEY: '' },
    });

    expect(conf).not.toMatch(/listen \S+ ssl/);
    expect(conf).toContain('add_header Strict-Transport-Security $trendcast_hsts always;');
  });
});

describe('gateway rate limits and probes', () => {
  it.each(['/api/users/login', '/api/users/sessions/browser'])(
    'when %s is flooded from one address, then 429 says to wait as long as the account endpoints\' limit needs',
    async (path) => {
      const attempts = await Promise.all(Array.from({ length: 12 }, () => fetch(`${gateway.baseUrl}${path}`, { method: 'POST', body: '{}' })));

      const limited = attempts.filter((response) => response.status === 429);
      expect(limited.length).toBeGreaterThan(0);
      // 10 a minute: one more request fits 6 s later (a write-limit 429 elsewhere says 1).
      for (const response of limited) expect(response.headers.get('retry-after')).toBe('6');
      for (const response of attempts) await response.arrayBuffer();
    },
  );

  it('when one address signs out many times, then no sign-out is braked and its sign-ins still have their whole allowance', async () => {
    const signOuts = await Promise.all(Array.from({ length: 12 }, () => fetch(`${gateway.baseUrl}/api/users/sessions/browser`, { method: 'DELETE' })));
    for (const response of signOuts) await response.arrayBuffer();
    expect(signOuts.filter((response) => response.status === 429)).toHaveLength(0);
  });

  it('when one address floods a service with writes, then the gateway answers 429 JSON with Retry-After and reads still pass', async () => {
    const before = trends.seen.filter((seen) => seen.method === 'POST').length;
    const writes = await Promise.all(
      Array.from({ length: 80 }, () => fetch(`${gateway.baseUrl}/api/trends/searches`, { method: 'POST', body: '{}' })),
    );
    const reads = await Promise.all(Array.from({ length: 80 }, () => fetch(`${gateway.baseUrl}/healthz`)));

    const limited = writes.filter((response) => response.status === 429);
    expect(limited.length).toBeGreaterThan(0);
    expect(limited[0]!.headers.get('retry-after')).toBe('1');
    expect(await limited[0]!.json()).toMatchObject({ code: 'RATE_LIMITED' });
    expect(reads.every((response) => response.status === 200)).toBe(true);
    for (const response of writes) if (response.status !== 429) await response.arrayBuffer();
    expect(trends.seen.filter((seen) => seen.method === 'POST').length - before).toBeLessThanOrEqual(80 - limited.length);
  });
});
