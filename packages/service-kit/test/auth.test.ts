import { createHmac, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessTokensFrom, jwksKeys, localKeys, requireRole, type AccessTokenOptions } from '../src/index.js';
import { startJwksServer, type JwksServer } from './support/jwks-server.js';
import { buildTestApp } from './support/test-app.js';
import { audience, createSigningKey, issuer, signToken, userIds, type SigningKey } from './support/tokens.js';

const b64url = (value: object | string) =>
  Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
const now = () => Math.floor(Date.now() / 1000);

describe('authentication with tokens from the users service', () => {
  let key: SigningKey;
  let jwks: JwksServer;
  let t: Awaited<ReturnType<typeof buildTestApp>>;

  beforeAll(async () => {
    key = await createSigningKey('key-1');
    jwks = await startJwksServer([key.publicJwk]);
    t = await buildTestApp({ accessTokens: { keys: jwksKeys({ url: jwks.url, cooldownMs: 0 }), issuer, audience } });
    t.app.get('/testsvc/me', { preHandler: t.app.authenticate }, async (request) => request.user);
    t.app.get('/testsvc/admin', { preHandler: [t.app.authenticate, requireRole('admin')] }, async () => ({ ok: true }));
    t.app.get('/testsvc/admin-only', { preHandler: requireRole('admin') }, async (request) => request.user);
    await t.app.ready();
  });

  afterAll(async () => {
    await t.app.close();
    await jwks.close();
  });

  const me = (authorization?: string) =>
    t.app.inject({ method: 'GET', url: '/testsvc/me', headers: authorization ? { authorization } : {} });

  async function expectRejected(token: string, error = 'Invalid token') {
    const response = await me(`Bearer ${token}`);
    expect(response.statusCode).toBe(401);
    expect(response.json()).toEqual({ error, code: 'UNAUTHENTICATED' });
    expect(response.headers['www-authenticate']).toBe(
      `Bearer realm="trendcast", error="invalid_token", error_description="${error}"`,
    );
  }

  it('when the token is valid, then request.user has the id, role and token id', async () => {
    const jti = randomUUID();
    const response = await me(`Bearer ${await signToken(key, { sub: userIds.another, jti })}`);

    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ id: userIds.another, role: 'user', tokenId: jti });
  });

  it('when the token names its session (sid), then request.user carries it', async () => {
    const response = await me(`Bearer ${await signToken(key, { claims: { sid: 'session-7' } })}`);

    expect(response.json()).toMatchObject({ id: userIds.default, sessionId: 'session-7' });
  });

  it('when a validly signed token names a subject that is not a user id (UUID), then 401, not 500', async () => {
    for (const sub of ['u-42', "1' or '1'='1", '00000000-0000-4000-8000-00000000000']) {
      await expectRejected(await signToken(key, { sub }));
    }
  });

  it('when there is no Authorization header, then 401 with a Bearer challenge', async () => {
    const response = await me();

    expect(response.statusCode).toBe(401);
    expect(response.json()).toEqual({ error: 'Authentication required', code: 'UNAUTHENTICATED' });
    expect(response.headers['www-authenticate']).toBe('Bearer realm="trendcast"');
  });

  it('when the header is not a bearer JWT, then 401', async () => {
    await expect(me('Basic dXNlcjpwYXNz').then((r) => r.statusCode)).resolves.toBe(401);
    await expect(me('Bearer not-a-jwt').then((r) => r.statusCode)).resolves.toBe(401);
  });

  it('when the token has expired, then 401 saying so', async () => {
    await expectRejected(await signToken(key, { expiresAt: now() - 60 }), 'Token expired');
  });

  it('when the token expired within the clock tolerance, then it is still accepted', async () => {
    const response = await me(`Bearer ${await signToken(key, { expiresAt: now() - 2 })}`);

    expect(response.statusCode).toBe(200);
  });

  it('when the payload was tampered with, then 401', async () => {
    const [header, payload, signature] = (await signToken(key)).split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString());

    await expectRejected(`${header}.${b64url({ ...claims, role: 'admin' })}.${signature}`);
  });

  it('when the token is unsigned (alg none), then 401', async () => {
    const claims = { sub: userIds.default, role: 'admin', jti: 'j', iss: issuer, aud: audience, exp: now() + 600 };

    await expectRejected(`${b64url({ alg: 'none', typ: 'JWT' })}.${b64url(claims)}.`);
  });

  it('when the token is HMAC-signed with the public key as secret, then 401', async () => {
    const claims = { sub: userIds.default, role: 'admin', jti: 'j', iss: issuer, aud: audience, exp: now() + 600 };
    const signingInput = `${b64url({ alg: 'HS256', typ: 'JWT', kid: key.kid })}.${b64url(claims)}`;
    for (const secret of [JSON.stringify(key.publicJwk), Buffer.from(key.publicJwk.x!, 'base64url')]) {
      const signature = createHmac('sha256', secret).update(signingInput).digest('base64url');
      await expectRejected(`${signingInput}.${signature}`);
    }
  });

  it('when the issuer is not the users service, then 401', async () => {
    await expectRejected(await signToken(key, { iss: 'someone-else' }));
  });

  it('when the audience is not trendcast, then 401', async () => {
    await expectRejected(await signToken(key, { aud: 'another-app' }));
  });

  it('when the key id is unknown, then 401', async () => {
    const stranger = await createSigningKey('unknown-kid');

    await expectRejected(await signToken(stranger));
  });

  it('when a claim is missing or the role is unknown, then 401', async () => {
    await expectRejected(await signToken(key, { jti: null }));
    await expectRejected(await signToken(key, { role: 'superuser' }));
  });

  it('when the users service rotates to a new key, then tokens signed with it are accepted after a refetch', async () => {
    const next = await createSigningKey('key-2');
    jwks.setKeys([key.publicJwk, next.publicJwk]);
    const fetchesBefore = jwks.fetches();

    const response = await me(`Bearer ${await signToken(next)}`);

    expect(response.statusCode).toBe(200);
    expect(jwks.fetches()).toBe(fetchesBefore + 1);
  });

  it('when many requests verify tokens, then the key set is fetched once and cached', async () => {
    const fetchesBefore = jwks.fetches();

    for (let i = 0; i < 5; i += 1) expect((await me(`Bearer ${await signToken(key)}`)).statusCode).toBe(200);

    expect(jwks.fetches()).toBe(fetchesBefore);
  });

  it('when a user calls an admin route, then 403 FORBIDDEN; an admin passes', async () => {
    const asUser = await t.app.inject({
      method: 'GET',
      url: '/testsvc/admin',
      headers: { authorization: `Bearer ${await signToken(key)}` },
    });
    const asAdmin = await t.app.inject({
      method: 'GET',
      url: '/testsvc/admin',
      headers: { authorization: `Bearer ${await signToken(key, { role: 'admin' })}` },
    });

    expect(asUser.statusCode).toBe(403);
    expect(asUser.json()).toEqual({ error: 'Requires role admin', code: 'FORBIDDEN' });
    expect(asAdmin.statusCode).toBe(200);
  });

  it('when requireRole is used alone, then it authenticates first', async () => {
    const anonymous = await t.app.inject({ method: 'GET', url: '/testsvc/admin-only' });
    const asAdmin = await t.app.inject({
      method: 'GET',
      url: '/testsvc/admin-only',
      headers: { authorization: `Bearer ${await signToken(key, { role: 'admin', sub: userIds.boss })}` },
    });

    expect(anonymous.statusCode).toBe(401);
    expect(asAdmin.json()).toMatchObject({ id: userIds.boss, role: 'admin' });
  });
});

describe('key sources', () => {
  /** An app whose one route answers request.user, verifying tokens as `accessTokens` says. */
  async function appVerifyingWith(accessTokens: AccessTokenOptions) {
    const t = await buildTestApp({ accessTokens });
    t.app.get('/testsvc/me', { preHandler: t.app.authenticate }, async (request) => request.user);
    await t.app.ready();
    return {
      me: (token: string) => t.app.inject({ method: 'GET', url: '/testsvc/me', headers: { authorization: `Bearer ${token}` } }),
      close: () => t.app.close(),
    };
  }

  it('when given local keys, then RS256 and ES256 tokens verify too', async () => {
    const rsa = await createSigningKey('rsa-1', 'RS256');
    const ec = await createSigningKey('ec-1', 'ES256');
    const app = await appVerifyingWith({ keys: localKeys([rsa.publicJwk, ec.publicJwk]) , issuer, audience });

    expect((await app.me(await signToken(rsa, { sub: userIds.default }))).json()).toMatchObject({ id: userIds.default });
    expect((await app.me(await signToken(ec, { sub: userIds.another }))).json()).toMatchObject({ id: userIds.another });
    await app.close();
  });

  it('when built from a service\'s auth config, then tokens verify against JWKS_URL unless keys are given', async () => {
    const published = await createSigningKey('key-1');
    const local = await createSigningKey('local-1');
    const jwks = await startJwksServer([published.publicJwk]);
    const config = { JWKS_URL: jwks.url, JWT_ISSUER: issuer, JWT_AUDIENCE: audience };
    const fromJwks = await appVerifyingWith(accessTokensFrom(config));
    const fromLocal = await appVerifyingWith(accessTokensFrom(config, localKeys([local.publicJwk])));

    expect((await fromJwks.me(await signToken(published))).statusCode).toBe(200);
    expect((await fromLocal.me(await signToken(local))).statusCode).toBe(200);
    expect((await fromLocal.me(await signToken(published))).statusCode).toBe(401);
    await fromJwks.close();
    await fromLocal.close();
    await jwks.close();
  });

  it('when the JWKS endpoint is unreachable, then 503 AUTH_UNAVAILABLE (the token may be fine)', async () => {
    const key = await createSigningKey('key-1');
    const gone = await startJwksServer([]);
    await gone.close();
    const app = await appVerifyingWith({ keys: jwksKeys({ url: gone.url }), issuer, audience });

    const response = await app.me(await signToken(key));

    expect(response.statusCode).toBe(503);
    expect(response.json()).toMatchObject({ code: 'AUTH_UNAVAILABLE' });
    await app.close();
  });

  it('when tokens name key ids nobody published, then the JWKS is fetched at most once per cooldown', async () => {
    const key = await createSigningKey('key-1');
    const jwks = await startJwksServer([key.publicJwk]);
    const app = await appVerifyingWith({ keys: jwksKeys({ url: jwks.url, cooldownMs: 60_000 }), issuer, audience });

    for (const kid of ['made-up-1', 'made-up-2', 'made-up-3']) {
      const response = await app.me(await signToken({ ...(await createSigningKey(kid)) }));
      expect(response.statusCode).toBe(401);
    }

    expect(jwks.fetches()).toBe(1);
    expect((await app.me(await signToken(key))).statusCode).toBe(200);
    await app.close();
    await jwks.close();
  });

  it('when handed a private key by mistake, then it only verifies', async () => {
    const key = await createSigningKey('k');
    const { exportJWK } = await import('jose');
    const privateJwk = { ...(await exportJWK(key.privateKey)), kid: 'k', alg: 'EdDSA' };
    const app = await appVerifyingWith({ keys: localKeys([privateJwk]), issuer, audience });

    expect((await app.me(await signToken(key, { sub: userIds.boss }))).json()).toMatchObject({ id: userIds.boss });
    await app.close();
  });

  it('when a symmetric key is handed over, then it is refused outright', () => {
    expect(() => localKeys([{ kty: 'oct', k: 'c2VjcmV0', kid: 'k' }])).toThrow(/symmetric/);
  });
});
