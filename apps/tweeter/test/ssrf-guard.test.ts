import { afterEach, describe, expect, it } from 'vitest';
import { checkAddress, parseAllowedRanges } from '../src/integrations/http/address-policy.js';
import type { Resolver } from '../src/integrations/http/guarded-http-client.js';
import { normalizeInstanceUrl } from '../src/integrations/http/instance-url.js';
import { OutboundRequestError } from '../src/integrations/http/outbound-error.js';
import { guardedClient, startServer, type TestServer } from './support/servers.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});

async function server(handler: Parameters<typeof startServer>[0], host?: string, port?: number): Promise<TestServer> {
  const started = await startServer(handler, host, port);
  cleanups.push(started.close);
  return started;
}

function client(...args: Parameters<typeof guardedClient>) {
  const created = guardedClient(...args);
  cleanups.push(() => created.close());
  return created;
}

const ok = (_req: unknown, res: import('node:http').ServerResponse) => res.end('ok');

async function refusal(promise: Promise<unknown>): Promise<OutboundRequestError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(OutboundRequestError);
  return error as OutboundRequestError;
}

describe('address policy', () => {
  const strict = { allowPrivateAddresses: false, allowedRanges: [] };
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['::1', 'loopback'],
    ['169.254.169.254', 'linkLocal'],
    ['fe80::1', 'linkLocal'],
    ['10.0.0.1', 'private'],
    ['172.16.5.4', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['fc00::1', 'uniqueLocal'],
    ['fd12:3456::1', 'uniqueLocal'],
    ['100.64.0.1', 'carrierGradeNat'],
    ['224.0.0.1', 'multicast'],
    ['ff02::1', 'multicast'],
    ['0.0.0.0', 'unspecified'],
    ['::', 'unspecified'],
    ['255.255.255.255', 'broadcast'],
    ['192.0.2.10', 'reserved'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:169.254.169.254', 'linkLocal'],
    ['::ffff:10.1.2.3', 'private'],
    ['64:ff9b::a00:1', 'rfc6052'],
    ['2002:a00:1::', '6to4'],
    ['::7f00:1', 'nonGlobalIpv6'],
  ])('when the address is %s, then it is refused as %s', (address, range) => {
    expect(checkAddress(address, strict)).toEqual({ allowed: false, address: expect.any(String), range });
  });

  it.each(['93.184.216.34', '1.1.1.1', '2606:4700:4700::1111', '::ffff:8.8.8.8'])('when the address is public (%s), then it is allowed', (address) => {
    expect(checkAddress(address, strict).allowed).toBe(true);
  });

  it('when private addresses are allowed, then loopback and private pass but link-local and multicast never do', () => {
    const local = { allowPrivateAddresses: true, allowedRanges: [] };
    expect(checkAddress('127.0.0.1', local).allowed).toBe(true);
    expect(checkAddress('10.0.0.1', local).allowed).toBe(true);
    expect(checkAddress('fd00::1', local).allowed).toBe(true);
    expect(checkAddress('169.254.169.254', local).allowed).toBe(false);
    expect(checkAddress('224.0.0.1', local).allowed).toBe(false);
    expect(checkAddress('0.0.0.0', local).allowed).toBe(false);
  });

  it('when a range is explicitly allowed, then only that range passes', () => {
    const policy = { allowPrivateAddresses: false, allowedRanges: parseAllowedRanges('10.1.2.0/24, fd00::/64') };
    expect(checkAddress('10.1.2.7', policy).allowed).toBe(true);
    expect(checkAddress('10.1.3.7', policy).allowed).toBe(false);
    expect(checkAddress('fd00::5', policy).allowed).toBe(true);
    expect(() => parseAllowedRanges('10.1.2.0/33')).toThrow(/CIDR/);
  });
});

describe('guarded HTTP client', () => {
  it.each([
    'http://127.0.0.1:PORT/',
    'http://[::1]:PORT/',
    'http://169.254.169.254/latest/meta-data/',
    'http://10.0.0.1/',
    'http://172.16.0.1/',
    'http://192.168.0.1/',
    'http://[fc00::1]/',
    'http://[::ffff:127.0.0.1]:PORT/',
    'http://2130706433:PORT/',
    'http://0x7f.1:PORT/',
    'http://0.0.0.0:PORT/',
  ])('when asked for %s, then it refuses without connecting', async (template) => {
    const target = await server(ok);
    const url = template.replace('PORT', String(target.port));
    const error = await refusal(client().request(url));
    expect(error.code).toBe('DESTINATION_REFUSED');
    expect(error.mayHaveReachedServer).toBe(false);
    expect(target.hits).toHaveLength(0);
  });

  it('when a name resolves to 127.0.0.1, then the connection is refused and the server never hears of it', async () => {
    const target = await server(ok);
    const resolver: Resolver = async () => [{ address: '127.0.0.1', family: 4 }];
    const error = await refusal(client({ resolver }).request(`http://mastodon.example:${target.port}/api/v2/instance`));
    expect(error.code).toBe('DESTINATION_REFUSED');
    expect(error.message).toContain('mastodon.example (127.0.0.1)');
    expect(target.hits).toHaveLength(0);
  });

  it('when the system resolver says localhost is loopback, then localhost is refused', async () => {
    const target = await server(ok);
    const error = await refusal(client().request(`http://localhost:${target.port}/`));
    expect(error.code).toBe('DESTINATION_REFUSED');
    expect(target.hits).toHaveLength(0);
  });

  it('when a name resolves to a public and a private address, then it is refused as a whole', async () => {
    const resolver: Resolver = async () => [
      { address: '93.184.216.34', family: 4 },
      { address: '10.0.0.5', family: 4 },
    ];
    const error = await refusal(client({ resolver }).request('https://mixed.example/'));
    expect(error.code).toBe('DESTINATION_REFUSED');
  });

  it('when DNS answers differently on a second lookup (rebinding), then the connection still goes to the address that was checked', async () => {
    // 127.0.0.2 stands for a public address (explicitly allowed); 127.0.0.1 is the internal target.
    const checked = await server((_req, res) => res.end('checked host'), '127.0.0.2');
    const internal = await server((_req, res) => res.end('internal host'), '127.0.0.1', checked.port);
    let lookups = 0;
    const resolver: Resolver = async () => (lookups++ === 0 ? [{ address: '127.0.0.2', family: 4 }] : [{ address: '127.0.0.1', family: 4 }]);
    const http = client({ resolver, allowedRanges: ['127.0.0.2/32'] });

    const response = await http.request(`http://rebind.example:${checked.port}/`);
    expect(response.body).toBe('checked host');
    expect(lookups).toBe(1);
    expect(internal.hits).toHaveLength(0);
  });

  it('when a redirect points at an internal address, then the hop is refused and never contacted', async () => {
    const internal = await server(ok);
    const resolver: Resolver = async (name) => (name === 'public.example' ? [{ address: '127.0.0.2', family: 4 }] : [{ address: '127.0.0.1', family: 4 }]);
    const start = await server((_req, res) => {
      res.writeHead(302, { location: `http://internal.example:${internal.port}/secret` }).end();
    }, '127.0.0.2');
    const metadata = await server((_req, res) => res.writeHead(301, { location: 'http://169.254.169.254/latest/meta-data/' }).end(), '127.0.0.2');
    const http = client({ resolver, allowedRanges: ['127.0.0.2/32'] });

    const viaName = await refusal(http.request(`http://public.example:${start.port}/`, { followRedirects: true }));
    expect(viaName.code).toBe('DESTINATION_REFUSED');
    const viaLiteral = await refusal(http.request(`http://public.example:${metadata.port}/`, { followRedirects: true }));
    expect(viaLiteral.message).toContain('169.254.169.254');
    expect(internal.hits).toHaveLength(0);
  });

  it('when a redirect leaves the origin, then it is followed without the Authorization header', async () => {
    const second = await server((req, res) => res.end(`auth=${req.headers.authorization ?? 'none'}`), '127.0.0.2');
    const first = await server((_req, res) => res.writeHead(302, { location: `${second.url}/next` }).end(), '127.0.0.1');
    const http = client({ allowPrivateAddresses: true });
    const response = await http.request(`${first.url}/start`, { followRedirects: true, headers: { authorization: 'Bearer secret-token' } });
    expect(response.body).toBe('auth=none');
    expect(response.url).toBe(`${second.url}/next`);
    expect(first.hits[0]?.headers.authorization).toBe('Bearer secret-token');
  });

  it('when redirects are not asked for, then a POST gets the 3xx itself and nothing is re-sent', async () => {
    const target = await server((_req, res) => res.writeHead(308, { location: '/elsewhere' }).end());
    const response = await client({ allowPrivateAddresses: true }).request(`${target.url}/api/v1/statuses`, { method: 'POST', body: '{}' });
    expect(response.status).toBe(308);
    expect(target.hits.map((h) => h.path)).toEqual(['/api/v1/statuses']);
  });

  it('when redirects loop, then it stops after the configured number of hops', async () => {
    const target = await server((req, res) => res.writeHead(302, { location: `${req.url}x` }).end());
    const error = await refusal(client({ allowPrivateAddresses: true, maxRedirects: 2 }).request(`${target.url}/a`, { followRedirects: true }));
    expect(error.code).toBe('TOO_MANY_REDIRECTS');
    expect(target.hits).toHaveLength(3);
  });

  it('when http is not allowed, then http:// and other schemes are refused before connecting', async () => {
    const http = client({ allowHttp: false, allowPrivateAddresses: true });
    const target = await server(ok);
    expect((await refusal(http.request(target.url))).code).toBe('SCHEME_REFUSED');
    expect((await refusal(http.request('file:///etc/passwd'))).code).toBe('SCHEME_REFUSED');
    expect((await refusal(http.request('gopher://127.0.0.1:70/'))).code).toBe('SCHEME_REFUSED');
    expect((await refusal(client({ allowPrivateAddresses: true }).request(`http://user:pw@127.0.0.1:${target.port}/`))).code).toBe('SCHEME_REFUSED');
    expect(target.hits).toHaveLength(0);
  });

  it('when an answer is larger than allowed, then it is cut off with RESPONSE_TOO_LARGE', async () => {
    const big = 'x'.repeat(200 * 1024);
    const declared = await server((_req, res) => res.end(big));
    const chunked = await server((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      for (let i = 0; i < 200; i += 1) res.write('y'.repeat(1024));
      res.end();
    });
    const http = client({ allowPrivateAddresses: true, maxResponseBytes: 64 * 1024 });
    expect((await refusal(http.request(declared.url))).code).toBe('RESPONSE_TOO_LARGE');
    expect((await refusal(http.request(chunked.url))).code).toBe('RESPONSE_TOO_LARGE');
  });

  it('when the server does not answer in time, then the request fails with TIMEOUT and may have reached it', async () => {
    const silent = await server(() => {});
    const error = await refusal(client({ allowPrivateAddresses: true, timeoutMs: 300 }).request(silent.url, { method: 'POST', body: 'x' }));
    expect(error.code).toBe('TIMEOUT');
    expect(error.mayHaveReachedServer).toBe(true);
    expect(silent.hits).toHaveLength(1);
  });

  it('when nothing listens, then the failure says the request never left', async () => {
    const closed = await startServer(ok);
    await closed.close();
    const error = await refusal(client({ allowPrivateAddresses: true }).request(closed.url));
    expect(error.code).toBe('CONNECT_FAILED');
    expect(error.mayHaveReachedServer).toBe(false);
  });
});

describe('instance URL', () => {
  it.each([
    ['mastodon.social', 'https://mastodon.social'],
    ['  https://Mastodon.Social/@ada  ', 'https://mastodon.social'],
    ['https://social.example:8443/path?q=1', 'https://social.example:8443'],
  ])('when a user types %j, then the instance is %s', (input, origin) => {
    expect(normalizeInstanceUrl(input, { allowHttp: false })).toBe(origin);
  });

  it.each(['http://mastodon.social', 'ftp://x.example', 'https://user:pw@x.example', 'https://'])('when a user types %j, then it is refused', (input) => {
    expect(() => normalizeInstanceUrl(input, { allowHttp: false })).toThrow(OutboundRequestError);
  });
});
