import { createHmac, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenVerifier, requireRole } from '../src/index.js';
import { startJwksServer, type JwksServer } from './support/jwks-server.js';
import { buildTestApp } from './support/test-app.js';
import { audience, createSigningKey, issuer, signToken, type SigningKey } from './support/tokens.js';

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
    const tokenVerifier = createTokenVerifier({ jwksUrl: jwks.url, issuer, audience, jwksCooldownMs: 0 });
    t = await buildTestApp({ tokenVerifier });
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
    const response = await me(`Bearer ${await signToken(key, { sub: 'u-42', jti })}`);

    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ id: 'u-42', role: 'user', tokenId: jti });
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
    const claims = { sub: 'u-1', role: 'admin', jti: 'j', iss: issuer, aud: audience, exp: now() + 600 };

    await expectRejected(`${b64url({ alg: 'none', typ: 'JWT' })}.${b64url(claims)}.`);
  });

  it('when the token is HMAC-signed with the public key as secret, then 401', async () => {
    const claims = { sub: 'u-1', role: 'admin', jti: 'j', iss: issuer, aud: audience, exp: now() + 600 };
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
      headers: { authorization: `Bearer ${await signToken(key, { role: 'admin', sub: 'boss' })}` },
    });

    expect(anonymous.statusCode).toBe(401);
    expect(asAdmin.json()).toMatchObject({ id: 'boss', role: 'admin' });
  });
});

describe('createTokenVerifier', () => {
  it('when given local keys, then RS256 and ES256 tokens verify too', async () => {
    const rsa = await createSigningKey('rsa-1', 'RS256');
    const ec = await createSigningKey('ec-1', 'ES256');
    const verifier = createTokenVerifier({ keys: [rsa.publicJwk, ec.publicJwk], issuer, audience });

    await expect(verifier.verify(await signToken(rsa, { sub: 'r' }))).resolves.toMatchObject({ id: 'r' });
    await expect(verifier.verify(await signToken(ec, { sub: 'e' }))).resolves.toMatchObject({ id: 'e' });
  });

  it('when the JWKS endpoint is unreachable, then 503 AUTH_UNAVAILABLE (the token may be fine)', async () => {
    const key = await createSigningKey('key-1');
    const gone = await startJwksServer([]);
    await gone.close();
    const verifier = createTokenVerifier({ jwksUrl: gone.url, issuer, audience });

    await expect(verifier.verify(await signToken(key))).rejects.toMatchObject({ statusCode: 503, code: 'AUTH_UNAVAILABLE' });
  });

  it('when handed a private key by mistake, then it only verifies', async () => {
    const key = await createSigningKey('k');
    const { exportJWK } = await import('jose');
    const privateJwk = { ...(await exportJWK(key.privateKey)), kid: 'k', alg: 'EdDSA' };
    const verifier = createTokenVerifier({ keys: [privateJwk], issuer, audience });

    await expect(verifier.verify(await signToken(key, { sub: 'p' }))).resolves.toMatchObject({ id: 'p' });
  });
});
