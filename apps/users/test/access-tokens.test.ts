import { createSecretKey } from 'node:crypto';
import { decodeJwt, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccessTokenIssuer } from '../src/security/access-tokens.js';
import { generateSigningKey, SigningKeyRing } from '../src/security/signing-keys.js';
import { bearer, signedInUser, startHarness, type Harness } from './support/service.js';
import { withAlteredSignature } from './support/tamper.js';

// Two keys during a rotation: the old one still published, the new one signing.
const oldKey = generateSigningKey('key-2026-01');
const newKey = generateSigningKey('key-2026-02');
const strangerKey = generateSigningKey('key-2026-02');

let h: Harness;
let user: { id: string };
let accessToken: string;

beforeAll(async () => {
  h = await startHarness({ keys: new SigningKeyRing([oldKey.key, newKey.key], 'key-2026-02') });
  ({ user, tokens: { accessToken } } = await signedInUser(h));
});
afterAll(async () => h?.close());

const me = (token: string) => h.app.inject({ method: 'GET', url: '/users/me', headers: bearer(token) });
const settings = { issuer: 'trendcast-users', audience: 'trendcast', ttlSeconds: 900 };
const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

async function expectRejected(token: string) {
  const response = await me(token);
  expect(response.statusCode).toBe(401);
  expect(response.json()).toMatchObject({ code: 'UNAUTHENTICATED' });
  expect(response.headers['www-authenticate']).toMatch(/^Bearer/);
  return response;
}

describe('GET /users/.well-known/jwks.json', () => {
  it('then it publishes every configured public key with its kid, and nothing private', async () => {
    const response = await h.app.inject({ method: 'GET', url: '/users/.well-known/jwks.json' });

    expect(response.statusCode).toBe(200);
    expect(response.headers['cache-control']).toMatch(/max-age=\d+/);
    const { keys } = response.json() as { keys: Array<Record<string, string>> };
    expect(keys.map((k) => k.kid)).toEqual(['key-2026-01', 'key-2026-02']);
    for (const key of keys) {
      expect(key).toMatchObject({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', use: 'sig', x: expect.any(String) });
      expect(key).not.toHaveProperty('d');
    }
  });
});

describe('access tokens', () => {
  it('when issued, then the active key signs them', async () => {
    const [header] = accessToken.split('.');
    expect(JSON.parse(Buffer.from(header!, 'base64url').toString())).toMatchObject({ alg: 'EdDSA', kid: 'key-2026-02' });
    expect((await me(accessToken)).statusCode).toBe(200);
  });

  it('when signed by the previous, still published key, then they are accepted (no one is logged out by a rotation)', async () => {
    const token = (await new AccessTokenIssuer(new SigningKeyRing([oldKey.key]), settings).issue({ userId: user.id, role: 'user', sessionId: 's' })).token;

    expect((await me(token)).statusCode).toBe(200);
  });

  it('when signed by an unknown key that claims a published kid, then they are rejected', async () => {
    const token = (await new AccessTokenIssuer(new SigningKeyRing([strangerKey.key]), settings).issue({ userId: user.id, role: 'admin', sessionId: 's' })).token;

    await expectRejected(token);
  });

  it('when the payload was tampered with, then they are rejected', async () => {
    const [header, , signature] = accessToken.split('.');
    const forged = `${header}.${b64({ ...decodeJwt(accessToken), role: 'admin' })}.${signature}`;

    await expectRejected(forged);
    const list = await h.app.inject({ method: 'GET', url: '/users', headers: bearer(forged) });
    expect(list.statusCode).toBe(401);
  });

  it('when the signature was altered, then they are rejected', async () => {
    await expectRejected(withAlteredSignature(accessToken));
  });

  it('when they say alg "none" with no signature, then they are rejected', async () => {
    const claims = decodeJwt(accessToken);
    const unsigned = `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ ...claims, role: 'admin' })}.`;

    await expectRejected(unsigned);
  });

  it('when HMAC-signed with the public key as secret (algorithm confusion), then they are rejected', async () => {
    const publicX = h.keys.jwks().keys[1]!.x;
    const token = await new SignJWT({ role: 'admin' })
      .setProtectedHeader({ alg: 'HS256', kid: 'key-2026-02' })
      .setSubject(user.id)
      .setJti('j')
      .setIssuer(settings.issuer)
      .setAudience(settings.audience)
      .setExpirationTime('5m')
      .sign(createSecretKey(Buffer.from(publicX)));

    await expectRejected(token);
  });

  it('when expired, then they are rejected', async () => {
    const twentyMinutesAgo = new Date(Date.now() - 20 * 60_000);
    const expired = (
      await new AccessTokenIssuer(h.keys, settings).issue({ userId: user.id, role: 'user', sessionId: 's' }, twentyMinutesAgo)
    ).token;

    const response = await expectRejected(expired);
    expect(response.json().error).toMatch(/expired/i);
  });

  it('when issued for another audience or by another issuer, then they are rejected', async () => {
    const subject = { userId: user.id, role: 'user' as const, sessionId: 's' };
    const otherAudience = (await new AccessTokenIssuer(h.keys, { ...settings, audience: 'elsewhere' }).issue(subject)).token;
    const otherIssuer = (await new AccessTokenIssuer(h.keys, { ...settings, issuer: 'someone-else' }).issue(subject)).token;

    await expectRejected(otherAudience);
    await expectRejected(otherIssuer);
  });

  it('when validly signed but naming a subject that is not a user id (UUID), then 401, not 500', async () => {
    const token = (await new AccessTokenIssuer(h.keys, settings).issue({ userId: 'not-a-uuid', role: 'user', sessionId: 's' })).token;

    await expectRejected(token);
  });

  it('when the Authorization header is not a bearer JWT, then it answers 401', async () => {
    for (const authorization of ['Basic dXNlcjpwYXNz', 'Bearer', 'Bearer not-a-jwt', `Bearer ${'a'.repeat(10_000)}.b.c`]) {
      const response = await h.app.inject({ method: 'GET', url: '/users/me', headers: { authorization } });
      expect(response.statusCode).toBe(401);
    }
  });
});
