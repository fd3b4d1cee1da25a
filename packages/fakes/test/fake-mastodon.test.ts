import { createHash, randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeMastodon, type FakeMastodon, type FakeMastodonOptions } from '../src/index.js';

let fake: FakeMastodon | undefined;

afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function start(options: FakeMastodonOptions = {}): Promise<FakeMastodon> {
  fake = await startFakeMastodon(options);
  return fake;
}

function postStatus(server: FakeMastodon, token: string, status: string, key?: string, signal?: AbortSignal) {
  return fetch(`${server.origin}/api/v1/statuses`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...(key ? { 'idempotency-key': key } : {}) },
    body: JSON.stringify({ status }),
    ...(signal ? { signal } : {}),
  });
}

async function registerApp(server: FakeMastodon, redirectUri = 'https://app.example/callback') {
  const response = await fetch(`${server.origin}/api/v1/apps`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ client_name: 'Trendcast', redirect_uris: redirectUri, scopes: 'write:statuses read:accounts' }),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as { client_id: string; client_secret: string; scopes: string[]; redirect_uris: string[] };
}

describe('fake Mastodon: OAuth', () => {
  it('when an app registers and the user authorizes with PKCE, then the code is exchanged once for a token that verifies credentials', async () => {
    const server = await start({ accounts: ['ada'] });
    const app = await registerApp(server);
    expect(app.scopes).toEqual(['write:statuses', 'read:accounts']);
    expect(app.redirect_uris).toEqual(['https://app.example/callback']);

    const verifier = randomBytes(32).toString('base64url');
    const authorize = new URL('/oauth/authorize', server.origin);
    authorize.search = new URLSearchParams({
      response_type: 'code',
      client_id: app.client_id,
      redirect_uri: 'https://app.example/callback',
      scope: 'write:statuses read:accounts',
      state: 'opaque-state',
      code_challenge: createHash('sha256').update(verifier).digest('base64url'),
      code_challenge_method: 'S256',
    }).toString();
    const redirect = await fetch(authorize, { redirect: 'manual' });
    expect(redirect.status).toBe(302);
    const back = new URL(redirect.headers.get('location') ?? '');
    expect(back.origin + back.pathname).toBe('https://app.example/callback');
    expect(back.searchParams.get('state')).toBe('opaque-state');
    const code = back.searchParams.get('code') ?? '';

    const exchange = () =>
      fetch(`${server.origin}/oauth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ grant_type: 'authorization_code', code, client_id: app.client_id, client_secret: app.client_secret, redirect_uri: 'https://app.example/callback', code_verifier: verifier }),
      });
    const tokenResponse = await exchange();
    expect(tokenResponse.status).toBe(200);
    const token = (await tokenResponse.json()) as { access_token: string; token_type: string; scope: string };
    expect(token.token_type).toBe('Bearer');
    expect(token.scope).toBe('write:statuses read:accounts');

    const me = await fetch(`${server.origin}/api/v1/accounts/verify_credentials`, { headers: { authorization: `Bearer ${token.access_token}` } });
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ username: 'ada', acct: 'ada', url: `${server.origin}/@ada` });

    const again = await exchange();
    expect(again.status).toBe(400);
    expect(await again.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('when the PKCE verifier does not match the challenge, then the token request is refused as invalid_grant', async () => {
    const server = await start();
    const app = await registerApp(server);
    const authorize = new URL('/oauth/authorize', server.origin);
    authorize.search = new URLSearchParams({
      response_type: 'code', client_id: app.client_id, redirect_uri: 'https://app.example/callback', scope: 'write:statuses',
      code_challenge: createHash('sha256').update('the right verifier').digest('base64url'), code_challenge_method: 'S256',
    }).toString();
    const code = new URL((await fetch(authorize, { redirect: 'manual' })).headers.get('location') ?? '').searchParams.get('code') ?? '';
    const response = await fetch(`${server.origin}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'authorization_code', code, client_id: app.client_id, client_secret: app.client_secret, redirect_uri: 'https://app.example/callback', code_verifier: 'a wrong verifier' }),
    });
    expect(response.status).toBe(400);
    expect(server.tokens.filter((t) => t.accountId !== null)).toHaveLength(0);
  });

  it('when the redirect URI is not one the app registered, then authorize shows an error page instead of redirecting', async () => {
    const server = await start();
    const app = await registerApp(server);
    const response = await fetch(`${server.origin}/oauth/authorize?response_type=code&client_id=${app.client_id}&redirect_uri=https://evil.example/cb`, { redirect: 'manual' });
    expect(response.status).toBe(400);
    expect(response.headers.get('location')).toBeNull();
  });

  it('when the user denies, then the browser comes back with access_denied and the state', async () => {
    const server = await start();
    const app = await registerApp(server);
    server.failNext({ kind: 'deny' }, 'authorize');
    const response = await fetch(`${server.origin}/oauth/authorize?response_type=code&client_id=${app.client_id}&redirect_uri=https://app.example/callback&scope=write:statuses&state=s1`, { redirect: 'manual' });
    const back = new URL(response.headers.get('location') ?? '');
    expect(back.searchParams.get('error')).toBe('access_denied');
    expect(back.searchParams.get('state')).toBe('s1');
    expect(back.searchParams.get('code')).toBeNull();
  });

  it('when an app registers with a scope Mastodon does not know, then it gets 422 with Mastodon\'s message', async () => {
    const server = await start();
    const response = await fetch(`${server.origin}/api/v1/apps`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ client_name: 'x', redirect_uris: 'https://a.example/cb', scopes: 'write:everything' }),
    });
    expect(response.status).toBe(422);
    expect(await response.json()).toEqual({ error: "Validation failed: Scopes doesn't match configured on the server." });
  });

  it('when a token is revoked through /oauth/revoke, then the API answers 401 "The access token was revoked"', async () => {
    const server = await start();
    const app = await registerApp(server);
    const code = new URL(
      (await fetch(`${server.origin}/oauth/authorize?response_type=code&client_id=${app.client_id}&redirect_uri=https://app.example/callback&scope=write:statuses`, { redirect: 'manual' })).headers.get('location') ?? '',
    ).searchParams.get('code');
    const { access_token } = (await (
      await fetch(`${server.origin}/oauth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ grant_type: 'authorization_code', code, client_id: app.client_id, client_secret: app.client_secret, redirect_uri: 'https://app.example/callback' }),
      })
    ).json()) as { access_token: string };
    expect((await postStatus(server, access_token, 'before')).status).toBe(200);

    const revoke = await fetch(`${server.origin}/oauth/revoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ client_id: app.client_id, client_secret: app.client_secret, token: access_token }),
    });
    expect(revoke.status).toBe(200);
    const after = await postStatus(server, access_token, 'after');
    expect(after.status).toBe(401);
    expect(await after.json()).toEqual({ error: 'The access token was revoked' });
    expect(after.headers.get('www-authenticate')).toContain('invalid_token');
  });
});

describe('fake Mastodon: statuses', () => {
  it('when a status is posted twice with the same Idempotency-Key, then the second answer is the first status and only one is stored', async () => {
    const server = await start({ accounts: ['ada', 'bob'] });
    const ada = server.issueToken('ada');
    const first = (await (await postStatus(server, ada, 'hello', 'key-1')).json()) as { id: string; url: string };
    const second = (await (await postStatus(server, ada, 'hello again', 'key-1')).json()) as { id: string; url: string };
    expect(second.id).toBe(first.id);
    expect(first.url).toBe(`${server.origin}/@ada/${first.id}`);
    expect(server.statusesOf('ada').map((s) => s.text)).toEqual(['hello']);

    // Keys are per account, as in Mastodon: bob's identical key is his own.
    await postStatus(server, server.issueToken('bob'), 'hello', 'key-1');
    expect(server.statusesOf('bob')).toHaveLength(1);
    await postStatus(server, ada, 'no key');
    await postStatus(server, ada, 'no key');
    expect(server.statusesOf('ada')).toHaveLength(3);
  });

  it('when the idempotency window has passed, then the same key creates a new status', async () => {
    let now = Date.parse('2025-01-01T00:00:00Z');
    const server = await start({ now: () => now });
    const token = server.issueToken('trendcast');
    await postStatus(server, token, 'one', 'k');
    now += 3600 * 1000 + 1;
    await postStatus(server, token, 'one', 'k');
    expect(server.statusesOf('trendcast')).toHaveLength(2);
  });

  it('when a status is longer than max_characters as Mastodon counts it, then 422 names the limit and nothing is stored', async () => {
    const server = await start({ maxCharacters: 30 });
    const token = server.issueToken('trendcast');
    // A long link counts 23: 6 + 23 = 29 fits although the text has 80 characters.
    const fits = await postStatus(server, token, `short https://example.com/${'x'.repeat(50)}`);
    expect(fits.status).toBe(200);
    const tooLong = await postStatus(server, token, 'x'.repeat(31));
    expect(tooLong.status).toBe(422);
    expect(await tooLong.json()).toEqual({ error: 'Validation failed: Text character limit of 30 exceeded' });
    expect(server.statusesOf('trendcast')).toHaveLength(1);

    const instance = (await (await fetch(`${server.origin}/api/v2/instance`)).json()) as { configuration: { statuses: Record<string, number> } };
    expect(instance.configuration.statuses).toMatchObject({ max_characters: 30, characters_reserved_per_url: 23 });
  });

  it('when the rate limit is spent, then the API answers 429 with X-RateLimit-* and the reset as ISO 8601', async () => {
    const server = await start({ rateLimit: { limit: 2, periodSeconds: 300 } });
    const token = server.issueToken('trendcast');
    const ok = await postStatus(server, token, 'a');
    expect(ok.headers.get('x-ratelimit-remaining')).toBe('1');
    await postStatus(server, token, 'b');
    const limited = await postStatus(server, token, 'c');
    expect(limited.status).toBe(429);
    expect(await limited.json()).toEqual({ error: 'Too many requests' });
    expect(limited.headers.get('x-ratelimit-limit')).toBe('2');
    expect(limited.headers.get('x-ratelimit-remaining')).toBe('0');
    const reset = limited.headers.get('x-ratelimit-reset') ?? '';
    expect(reset).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    expect(Date.parse(reset)).toBeGreaterThan(Date.now());
    expect(server.statusesOf('trendcast')).toHaveLength(2);
  });

  it('when a scripted 429 names its reset, then the header carries that moment', async () => {
    const server = await start();
    server.failNext({ kind: 'rate-limited', resetInSeconds: 120 });
    const before = Date.now();
    const response = await postStatus(server, server.issueToken('trendcast'), 'x');
    expect(response.status).toBe(429);
    const reset = Date.parse(response.headers.get('x-ratelimit-reset') ?? '');
    expect(reset - before).toBeGreaterThanOrEqual(119_000);
    expect(reset - before).toBeLessThan(125_000);
  });

  it('when the answer never arrives, then the status is stored all the same and a retry with the key returns it', async () => {
    const server = await start();
    const token = server.issueToken('trendcast');
    server.failNext({ kind: 'no-answer' });
    await expect(postStatus(server, token, 'lost answer', 'k-lost', AbortSignal.timeout(300))).rejects.toThrow();
    expect(server.statusesOf('trendcast')).toHaveLength(1);
    const retry = (await (await postStatus(server, token, 'lost answer', 'k-lost')).json()) as { id: string };
    expect(retry.id).toBe(server.statusesOf('trendcast')[0]?.id);
    expect(server.statusesOf('trendcast')).toHaveLength(1);
  });

  it('when a request with a key is still being processed, then a duplicate gets 503 and creates nothing', async () => {
    const server = await start();
    const token = server.issueToken('trendcast');
    server.failNext({ kind: 'slow', ms: 300 });
    const first = postStatus(server, token, 'slow one', 'k-slow');
    await new Promise((resolve) => setTimeout(resolve, 50));
    const duplicate = await postStatus(server, token, 'slow one', 'k-slow');
    expect(duplicate.status).toBe(503);
    expect(await duplicate.json()).toEqual({ error: 'There was a temporary problem serving your request, please try again' });
    expect((await first).status).toBe(200);
    expect(server.statusesOf('trendcast')).toHaveLength(1);
  });

  it('when the connection is dropped or the server fails, then nothing is stored and the status codes are Mastodon\'s', async () => {
    const server = await start();
    const token = server.issueToken('trendcast');
    server.failNext([{ kind: 'drop' }, { kind: 'server-error', status: 502 }, { kind: 'server-error', status: 503 }, { kind: 'validation', error: 'Validation failed: Text contains a forbidden word' }]);
    await expect(postStatus(server, token, 'a')).rejects.toThrow();
    const badGateway = await postStatus(server, token, 'b');
    expect(badGateway.status).toBe(502);
    expect(badGateway.headers.get('content-type')).toContain('text/html');
    expect((await postStatus(server, token, 'c')).status).toBe(503);
    const invalid = await postStatus(server, token, 'd');
    expect(invalid.status).toBe(422);
    expect(await invalid.json()).toEqual({ error: 'Validation failed: Text contains a forbidden word' });
    expect(server.statusesOf('trendcast')).toHaveLength(0);
    expect(server.requestsTo('statuses').map((r) => r.fault)).toEqual(['drop', 'server-error', 'server-error', 'validation']);
  });

  it('when a token lacks write:statuses, then posting is refused with 403 and the scopes message', async () => {
    const server = await start();
    const response = await postStatus(server, server.issueToken('trendcast', ['read:accounts']), 'x');
    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({ error: 'This action is outside the authorized scopes' });
  });
});
