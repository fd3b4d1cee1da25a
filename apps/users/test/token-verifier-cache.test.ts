import { HttpError } from '@trendcast/service-kit';
import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import { createUsersTokenVerifier } from '../src/http/token-verifier.js';
import { AccessTokenIssuer } from '../src/security/access-tokens.js';
import { generateSigningKey, SigningKeyRing } from '../src/security/signing-keys.js';
import { withAlteredSignature } from './support/tamper.js';

const keys = new SigningKeyRing([generateSigningKey('k').key]);
const settings = { issuer: 'trendcast-users', audience: 'trendcast' };
const subject = { userId: '00000000-0000-4000-8000-000000000001', role: 'user' as const, sessionId: 'family-1' };

describe('the users token verifier', () => {
  it('when a token verifies, then it yields the user with the session id', async () => {
    const verifier = createUsersTokenVerifier(keys, settings);
    const { token } = await new AccessTokenIssuer(keys, { ...settings, ttlSeconds: 60 }).issue(subject);

    const user = await verifier.verify(token);

    expect(user).toEqual({ id: subject.userId, role: 'user', tokenId: decodeJwt(token).jti, sessionId: 'family-1' });
  });

  it('when a remembered token reaches its expiry, then it is rejected like any expired token', async () => {
    const verifier = createUsersTokenVerifier(keys, { ...settings, clockToleranceSeconds: 0 });
    // Issued so that it expires one second from now.
    const issuedAt = new Date(Date.now() - 59_000);
    const { token } = await new AccessTokenIssuer(keys, { ...settings, ttlSeconds: 60 }).issue(subject, issuedAt);
    await expect(verifier.verify(token)).resolves.toMatchObject({ id: subject.userId });

    await new Promise((resolve) => setTimeout(resolve, Math.max(0, decodeJwt(token).exp! * 1000 - Date.now()) + 50));

    await expect(verifier.verify(token)).rejects.toMatchObject({ statusCode: 401, message: 'Token expired' });
  });

  it('when a token differs from a remembered one by a single character, then it is verified afresh and rejected', async () => {
    const verifier = createUsersTokenVerifier(keys, settings);
    const { token } = await new AccessTokenIssuer(keys, { ...settings, ttlSeconds: 60 }).issue(subject);
    await verifier.verify(token);
    const altered = withAlteredSignature(token);

    await expect(verifier.verify(altered)).rejects.toBeInstanceOf(HttpError);
  });

  it('when the cache is full, then the oldest entries make room and every token still verifies', async () => {
    const verifier = createUsersTokenVerifier(keys, { ...settings, cacheSize: 2 });
    const issuer = new AccessTokenIssuer(keys, { ...settings, ttlSeconds: 60 });
    const tokens = await Promise.all([1, 2, 3].map(() => issuer.issue(subject).then((t) => t.token)));

    for (const token of [...tokens, ...tokens]) await expect(verifier.verify(token)).resolves.toMatchObject({ id: subject.userId });
  });
});
