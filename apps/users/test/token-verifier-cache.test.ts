import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccessTokenIssuer } from '../src/security/access-tokens.js';
import { bearer, signedInUser, startHarness, strongPassword, type Harness } from './support/service.js';
import { withAlteredSignature } from './support/tamper.js';

// The service remembers verified access tokens (by their text) until they expire; these check
// that remembering never lets through what a fresh verification would refuse.
const settings = { issuer: 'trendcast-users', audience: 'trendcast' };

let h: Harness;
let userId: string;

beforeAll(async () => {
  h = await startHarness({ tokenCacheSize: 2, tokenClockToleranceSeconds: 0 });
  userId = (await signedInUser(h)).user.id;
});
afterAll(async () => h?.close());

const me = (token: string) => h.app.inject({ method: 'GET', url: '/users/me', headers: bearer(token) });
const issue = (ttlSeconds: number, at?: Date) =>
  new AccessTokenIssuer(h.keys, { ...settings, ttlSeconds }).issue({ userId, role: 'user', sessionId: 'family-1' }, at);

describe('the users token verifier', () => {
  it('when a token verifies, then it yields the user with the session id', async () => {
    const user = await signedInUser(h);
    const other = await h.app.inject({ method: 'POST', url: '/users/login', payload: { email: user.email, password: strongPassword } });

    // The password change keeps the asking session: the one its access token names (sid).
    const changed = await h.app.inject({
      method: 'POST',
      url: '/users/password/change',
      headers: bearer(user.tokens.accessToken),
      payload: { currentPassword: strongPassword, newPassword: 'an entirely new passphrase' },
    });

    expect(changed.statusCode).toBe(204);
    const refreshMine = await h.app.inject({ method: 'POST', url: '/users/token/refresh', payload: { refreshToken: user.tokens.refreshToken } });
    const refreshOther = await h.app.inject({ method: 'POST', url: '/users/token/refresh', payload: { refreshToken: other.json().refreshToken } });
    expect(refreshMine.statusCode).toBe(200);
    expect(refreshOther.statusCode).toBe(401);
  });

  it('when a remembered token reaches its expiry, then it is rejected like any expired token', async () => {
    // Issued so that it expires one second from now.
    const { token } = await issue(60, new Date(Date.now() - 59_000));
    expect((await me(token)).statusCode).toBe(200);

    await new Promise((resolve) => setTimeout(resolve, Math.max(0, decodeJwt(token).exp! * 1000 - Date.now()) + 50));

    const response = await me(token);
    expect(response.statusCode).toBe(401);
    expect(response.json()).toMatchObject({ error: 'Token expired', code: 'UNAUTHENTICATED' });
  });

  it('when a token differs from a remembered one by a single character, then it is verified afresh and rejected', async () => {
    const { token } = await issue(60);
    expect((await me(token)).statusCode).toBe(200);

    expect((await me(withAlteredSignature(token))).statusCode).toBe(401);
  });

  it('when the cache is full, then the oldest entries make room and every token still verifies', async () => {
    const tokens = await Promise.all([1, 2, 3].map(() => issue(60).then((t) => t.token)));

    for (const token of [...tokens, ...tokens]) expect((await me(token)).json()).toMatchObject({ id: userId });
  });
});
