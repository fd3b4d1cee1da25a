import { startFakeMastodon, type FakeMastodon } from '@trendcast/fakes';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { GuardedHttpClient } from '../src/integrations/http/guarded-http-client.js';
import { MastodonAdapter } from '../src/integrations/mastodon/mastodon-adapter.js';
import {
  buildAuthorizeUrl,
  createPkcePair,
  exchangeAuthorizationCode,
  MastodonOAuthError,
  mastodonScopes,
  registerMastodonApp,
  revokeAccessToken,
  type MastodonApp,
} from '../src/integrations/mastodon/oauth.js';
import { CredentialCipher } from '../src/security/credential-cipher.js';
import { createOAuthState, openOAuthState, OAuthStateError } from '../src/security/oauth-state.js';
import { guardedClient, startServer } from './support/servers.js';

const callback = 'http://localhost:8080/api/tweeter/channels/mastodon/callback';
const cipher = new CredentialCipher([{ id: 'k1', key: Buffer.alloc(32, 7) }], 'k1');

let fake: FakeMastodon;
let http: GuardedHttpClient;

beforeEach(async () => {
  fake = await startFakeMastodon({ accounts: ['ada'] });
  http = guardedClient({ allowPrivateAddresses: true });
});

afterEach(async () => {
  await http.close();
  await fake.close();
});

/** The browser's part: open the authorize URL, come back with whatever the instance put on the callback. */
async function browserAuthorizes(authorizeUrl: string): Promise<URL> {
  const response = await fetch(authorizeUrl, { redirect: 'manual' });
  expect(response.status).toBe(302);
  return new URL(response.headers.get('location') ?? '');
}

async function startFlow(app: MastodonApp) {
  const pkce = createPkcePair();
  const { state, browserBinding } = createOAuthState(cipher, { userId: 'user-1', instanceUrl: app.instanceUrl, channelName: 'My Mastodon', codeVerifier: pkce.verifier }, { ttlMs: 600_000 });
  const authorizeUrl = buildAuthorizeUrl(app, { state, codeChallenge: pkce.challenge });
  return { pkce, state, browserBinding, authorizeUrl };
}

describe('Mastodon OAuth', () => {
  it('when an account is connected, then the app is registered with our callback and scopes, the code becomes a working token, and revoking it ends access', async () => {
    const app = await registerMastodonApp(http, { instanceUrl: fake.origin, clientName: 'Trendcast', redirectUri: callback, website: 'https://trendcast.example' });
    expect(fake.applications.at(-1)).toMatchObject({ name: 'Trendcast', redirectUris: [callback], scopes: ['write:statuses', 'read:accounts'], website: 'https://trendcast.example' });
    expect(app).toMatchObject({ instanceUrl: fake.origin, redirectUri: callback, scopes: [...mastodonScopes] });

    const flow = await startFlow(app);
    const authorize = new URL(flow.authorizeUrl);
    expect(Object.fromEntries(authorize.searchParams)).toMatchObject({
      response_type: 'code',
      client_id: app.clientId,
      redirect_uri: callback,
      scope: 'write:statuses read:accounts',
      code_challenge_method: 'S256',
    });
    // The state is opaque: neither the user id nor the PKCE verifier can be read from the URL.
    expect(flow.authorizeUrl).not.toContain(flow.pkce.verifier);
    expect(flow.authorizeUrl).not.toContain('user-1');

    const back = await browserAuthorizes(flow.authorizeUrl);
    expect(back.origin + back.pathname).toBe(callback);
    const request = openOAuthState(cipher, back.searchParams.get('state') ?? '', flow.browserBinding);
    expect(request).toEqual({ userId: 'user-1', instanceUrl: fake.origin, channelName: 'My Mastodon', codeVerifier: flow.pkce.verifier });

    const grant = await exchangeAuthorizationCode(http, app, { code: back.searchParams.get('code') ?? '', codeVerifier: request.codeVerifier });
    expect(grant.scopes).toEqual(['write:statuses', 'read:accounts']);
    const adapter = new MastodonAdapter({ http, credentials: { instanceUrl: fake.origin, accessToken: grant.accessToken } });
    expect((await adapter.verify()).accountName).toBe(`@ada@${new URL(fake.origin).host}`);

    await revokeAccessToken(http, app, grant.accessToken);
    await expect(adapter.verify()).rejects.toMatchObject({ kind: 'auth_revoked' });
  });

  it('when the code is replayed or the PKCE verifier is wrong, then the exchange fails as INVALID_GRANT', async () => {
    const app = await registerMastodonApp(http, { instanceUrl: fake.origin, clientName: 'Trendcast', redirectUri: callback });
    const first = await startFlow(app);
    const code = (await browserAuthorizes(first.authorizeUrl)).searchParams.get('code') ?? '';
    await expect(exchangeAuthorizationCode(http, app, { code, codeVerifier: createPkcePair().verifier })).rejects.toMatchObject({ code: 'INVALID_GRANT' });

    const second = await startFlow(app);
    const code2 = (await browserAuthorizes(second.authorizeUrl)).searchParams.get('code') ?? '';
    await exchangeAuthorizationCode(http, app, { code: code2, codeVerifier: second.pkce.verifier });
    await expect(exchangeAuthorizationCode(http, app, { code: code2, codeVerifier: second.pkce.verifier })).rejects.toMatchObject({ code: 'INVALID_GRANT' });
  });

  it('when the instance no longer knows our client, then the exchange fails as APP_REJECTED without echoing the secret', async () => {
    const app = await registerMastodonApp(http, { instanceUrl: fake.origin, clientName: 'Trendcast', redirectUri: callback });
    const flow = await startFlow(app);
    const code = (await browserAuthorizes(flow.authorizeUrl)).searchParams.get('code') ?? '';
    const wrong = { ...app, clientSecret: 'not-the-secret-0123456789' };
    const error = (await exchangeAuthorizationCode(http, wrong, { code, codeVerifier: flow.pkce.verifier }).catch((e: unknown) => e)) as MastodonOAuthError;
    expect(error).toBeInstanceOf(MastodonOAuthError);
    expect(error.code).toBe('APP_REJECTED');
    expect(error.message).not.toContain('not-the-secret');
    expect(error.message).not.toContain(code);
  });

  it('when the instance grants fewer scopes than we asked, then the exchange fails as SCOPES_NOT_GRANTED', async () => {
    const stingy = await startServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ access_token: 'tok', token_type: 'Bearer', scope: 'read:accounts', created_at: 1 }));
    });
    try {
      const app: MastodonApp = { instanceUrl: stingy.url, clientId: 'c', clientSecret: 's', redirectUri: callback, scopes: [...mastodonScopes] };
      await expect(exchangeAuthorizationCode(http, app, { code: 'x', codeVerifier: 'v'.repeat(43) })).rejects.toMatchObject({ code: 'SCOPES_NOT_GRANTED' });
    } finally {
      await stingy.close();
    }
  });

  it('when the instance address is internal and private addresses are not allowed, then registration fails as INSTANCE_NOT_ALLOWED before any request', async () => {
    const strict = guardedClient({ allowPrivateAddresses: false });
    try {
      await expect(registerMastodonApp(strict, { instanceUrl: fake.origin, clientName: 'Trendcast', redirectUri: callback })).rejects.toMatchObject({ code: 'INSTANCE_NOT_ALLOWED' });
      expect(fake.requests).toHaveLength(0);
    } finally {
      await strict.close();
    }
  });

  it('when the server is not Mastodon, then registration says NOT_MASTODON', async () => {
    const other = await startServer((_req, res) => res.writeHead(404, { 'content-type': 'text/html' }).end('<h1>Not found</h1>'));
    try {
      await expect(registerMastodonApp(http, { instanceUrl: other.url, clientName: 'Trendcast', redirectUri: callback })).rejects.toMatchObject({ code: 'NOT_MASTODON' });
    } finally {
      await other.close();
    }
  });
});

describe('OAuth state', () => {
  const request = { userId: 'user-1', instanceUrl: 'https://social.example', channelName: 'Main', codeVerifier: createPkcePair().verifier };

  it('when the callback comes from another browser, then the state is refused', () => {
    const { state } = createOAuthState(cipher, request, { ttlMs: 60_000 });
    const attacker = createOAuthState(cipher, request, { ttlMs: 60_000 });
    expect(() => openOAuthState(cipher, state, attacker.browserBinding)).toThrow(expect.objectContaining({ code: 'STATE_OTHER_BROWSER' }));
    expect(() => openOAuthState(cipher, state, undefined)).toThrow(expect.objectContaining({ code: 'STATE_OTHER_BROWSER' }));
  });

  it('when the state is older than its lifetime, then it is refused as expired', () => {
    const issued = new Date('2025-01-01T00:00:00Z');
    const { state, browserBinding } = createOAuthState(cipher, request, { ttlMs: 60_000, now: issued });
    expect(openOAuthState(cipher, state, browserBinding, new Date(issued.getTime() + 59_000)).userId).toBe('user-1');
    expect(() => openOAuthState(cipher, state, browserBinding, new Date(issued.getTime() + 60_000))).toThrow(expect.objectContaining({ code: 'STATE_EXPIRED' }));
  });

  it('when the state is altered or made up, then it is refused as invalid', () => {
    const { state, browserBinding } = createOAuthState(cipher, request, { ttlMs: 60_000 });
    const parts = state.split('.');
    const body = Buffer.from(parts[3] ?? '', 'base64url');
    body[0] = (body[0] ?? 0) ^ 1;
    parts[3] = body.toString('base64url');
    expect(() => openOAuthState(cipher, parts.join('.'), browserBinding)).toThrow(OAuthStateError);
    expect(() => openOAuthState(cipher, 'made-up', browserBinding)).toThrow(expect.objectContaining({ code: 'STATE_INVALID' }));
    // A channel's sealed credentials are not a state either (another context).
    expect(() => openOAuthState(cipher, cipher.encrypt('{}', 'channel:1'), browserBinding)).toThrow(expect.objectContaining({ code: 'STATE_INVALID' }));
  });
});
