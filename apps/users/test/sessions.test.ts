import { eq } from 'drizzle-orm';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refreshTokens } from '../src/db/schema.js';
import { hashOpaqueToken } from '../src/security/opaque-tokens.js';
import { bearer, loginAs, signedInUser, startHarness, type Harness, type Tokens } from './support/service.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h?.close());

const refresh = (refreshToken: string) =>
  h.app.inject({ method: 'POST', url: '/users/token/refresh', payload: { refreshToken } });
const refreshed = async (refreshToken: string): Promise<Tokens> => {
  const response = await refresh(refreshToken);
  expect(response.statusCode).toBe(200);
  return response.json();
};

describe('POST /users/token/refresh', () => {
  it('when the refresh token is current, then it returns a new pair in the same session and spends the old token', async () => {
    const { tokens, user } = await signedInUser(h);

    const next = await refreshed(tokens.refreshToken);

    expect(next.refreshToken).not.toBe(tokens.refreshToken);
    expect(decodeJwt(next.accessToken)).toMatchObject({ sub: user.id, sid: decodeJwt(tokens.accessToken).sid });
    const [old] = await h.client.db.select().from(refreshTokens).where(eq(refreshTokens.tokenHash, hashOpaqueToken(tokens.refreshToken)));
    expect(old!.spentAt).not.toBeNull();
    // Only hashes are stored.
    expect(await h.client.db.select().from(refreshTokens).where(eq(refreshTokens.tokenHash, next.refreshToken))).toEqual([]);
  });

  it('when a spent refresh token comes back, then it answers 401 REFRESH_TOKEN_REUSED and the whole family is revoked', async () => {
    const { tokens } = await signedInUser(h);
    const second = await refreshed(tokens.refreshToken);
    const third = await refreshed(second.refreshToken);

    const replay = await refresh(tokens.refreshToken);

    expect(replay.statusCode).toBe(401);
    expect(replay.json().code).toBe('REFRESH_TOKEN_REUSED');
    // The legitimate holder's newest token is dead too: both parties must sign in again.
    const legit = await refresh(third.refreshToken);
    expect(legit.statusCode).toBe(401);
    expect(legit.json().code).toBe('REFRESH_TOKEN_INVALID');
  });

  it('when a token is reused, then other sessions of the same user are untouched', async () => {
    const { tokens, email } = await signedInUser(h);
    const otherSession = await loginAs(h, email);
    await refreshed(tokens.refreshToken);
    await refresh(tokens.refreshToken);

    const other = await refresh(otherSession.refreshToken);

    expect(other.statusCode).toBe(200);
  });

  it('when two refreshes race with one token, then one wins and the other counts as reuse', async () => {
    const { tokens } = await signedInUser(h);

    const answers = await Promise.all([refresh(tokens.refreshToken), refresh(tokens.refreshToken)]);

    expect(answers.map((a) => a.statusCode).sort()).toEqual([200, 401]);
    expect(answers.find((a) => a.statusCode === 401)!.json().code).toBe('REFRESH_TOKEN_REUSED');
  });

  it('when the refresh token has expired, then it answers 401 REFRESH_TOKEN_EXPIRED', async () => {
    const { tokens } = await signedInUser(h);
    await h.client.db
      .update(refreshTokens)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(refreshTokens.tokenHash, hashOpaqueToken(tokens.refreshToken)));

    const response = await refresh(tokens.refreshToken);

    expect(response.statusCode).toBe(401);
    expect(response.json().code).toBe('REFRESH_TOKEN_EXPIRED');
  });

  it('when the refresh token is unknown, then it answers 401 REFRESH_TOKEN_INVALID', async () => {
    const response = await refresh('A'.repeat(43));

    expect(response.statusCode).toBe(401);
    expect(response.json().code).toBe('REFRESH_TOKEN_INVALID');
  });

  it('when rotation goes on, then a refresh token never outlives its session maximum', async () => {
    const { tokens } = await signedInUser(h);
    const familyEnd = new Date(Date.now() + 60_000);
    await h.client.db
      .update(refreshTokens)
      .set({ familyExpiresAt: familyEnd })
      .where(eq(refreshTokens.tokenHash, hashOpaqueToken(tokens.refreshToken)));

    const next = await refreshed(tokens.refreshToken);

    const [row] = await h.client.db.select().from(refreshTokens).where(eq(refreshTokens.tokenHash, hashOpaqueToken(next.refreshToken)));
    expect(row!.expiresAt.getTime()).toBe(familyEnd.getTime());
  });
});

describe('POST /users/logout', () => {
  it('when given a refresh token, then its session ends and later refreshes fail', async () => {
    const { tokens } = await signedInUser(h);
    const next = await refreshed(tokens.refreshToken);

    const response = await h.app.inject({ method: 'POST', url: '/users/logout', payload: { refreshToken: next.refreshToken } });

    expect(response.statusCode).toBe(204);
    expect((await refresh(next.refreshToken)).json().code).toBe('REFRESH_TOKEN_INVALID');
  });

  it('when the token is unknown or already logged out, then it still answers 204 (idempotent)', async () => {
    const { tokens } = await signedInUser(h);
    await h.app.inject({ method: 'POST', url: '/users/logout', payload: { refreshToken: tokens.refreshToken } });

    const again = await h.app.inject({ method: 'POST', url: '/users/logout', payload: { refreshToken: tokens.refreshToken } });
    const unknown = await h.app.inject({ method: 'POST', url: '/users/logout', payload: { refreshToken: 'B'.repeat(43) } });

    expect(again.statusCode).toBe(204);
    expect(unknown.statusCode).toBe(204);
  });

  it('when one session logs out, then the user\'s other sessions keep working', async () => {
    const { tokens, email } = await signedInUser(h);
    const other = await loginAs(h, email);

    await h.app.inject({ method: 'POST', url: '/users/logout', payload: { refreshToken: tokens.refreshToken } });

    expect((await refresh(other.refreshToken)).statusCode).toBe(200);
  });
});

describe('POST /users/logout-all', () => {
  it('when signed in, then every session of the user ends', async () => {
    const { tokens, email } = await signedInUser(h);
    const other = await loginAs(h, email);

    const response = await h.app.inject({ method: 'POST', url: '/users/logout-all', headers: bearer(tokens.accessToken) });

    expect(response.statusCode).toBe(204);
    expect((await refresh(tokens.refreshToken)).statusCode).toBe(401);
    expect((await refresh(other.refreshToken)).statusCode).toBe(401);
  });

  it('when not signed in, then it answers 401', async () => {
    const response = await h.app.inject({ method: 'POST', url: '/users/logout-all' });

    expect(response.statusCode).toBe(401);
    expect(response.json().code).toBe('UNAUTHENTICATED');
  });
});
