import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { oneTimeTokens, refreshTokens, users } from '../src/db/schema.js';
import { bearer, outboxEventsOfType, signedInUser, startHarness, strongPassword, type Harness } from './support/service.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h?.close());

describe('GET /users/me', () => {
  it('when signed in, then it returns the account without secrets', async () => {
    const { tokens, user, email } = await signedInUser(h);

    const response = await h.app.inject({ method: 'GET', url: '/users/me', headers: bearer(tokens.accessToken) });

    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      id: user.id,
      email,
      displayName: 'Ann Example',
      role: 'user',
      emailVerified: true,
      notificationPreferences: { searchFailed: true, draftsReady: true, postPublished: true, postFailed: true, generationFailed: true },
      createdAt: expect.any(String),
    });
  });

  it('when there is no token, then it answers 401 UNAUTHENTICATED', async () => {
    const response = await h.app.inject({ method: 'GET', url: '/users/me' });

    expect(response.statusCode).toBe(401);
    expect(response.json().code).toBe('UNAUTHENTICATED');
  });
});

describe('PATCH /users/me', () => {
  it('when the profile changes, then it is saved and one users.user.updated carries the new state', async () => {
    const { tokens, user } = await signedInUser(h);

    const response = await h.app.inject({
      method: 'PATCH',
      url: '/users/me',
      headers: bearer(tokens.accessToken),
      payload: { displayName: 'Ann Updated', notificationPreferences: { draftsReady: false } },
    });

    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      displayName: 'Ann Updated',
      notificationPreferences: { draftsReady: false, postPublished: true },
    });
    const events = (await outboxEventsOfType(h, 'users.user.updated')).filter((e) => e.data.userId === user.id);
    expect(events).toHaveLength(1);
    expect(events[0]!.data).toMatchObject({ displayName: 'Ann Updated', notificationPreferences: { draftsReady: false, searchFailed: true } });
  });

  it('when nothing actually changes, then no event is written', async () => {
    const { tokens, user } = await signedInUser(h);

    const response = await h.app.inject({
      method: 'PATCH',
      url: '/users/me',
      headers: bearer(tokens.accessToken),
      payload: { displayName: 'Ann Example' },
    });

    expect(response.statusCode).toBe(200);
    expect((await outboxEventsOfType(h, 'users.user.updated')).filter((e) => e.data.userId === user.id)).toHaveLength(0);
  });

  it('when the body names no field or an unknown preference, then it answers 400', async () => {
    const { tokens } = await signedInUser(h);
    const patch = (payload: unknown) =>
      h.app.inject({ method: 'PATCH', url: '/users/me', headers: bearer(tokens.accessToken), payload: payload as object });

    expect((await patch({})).statusCode).toBe(400);
    expect((await patch({ notificationPreferences: { marketing: true } })).statusCode).toBe(400);
    expect((await patch({ email: 'new@example.org' })).statusCode).toBe(400);
    expect((await patch({ role: 'admin' })).statusCode).toBe(400);
  });
});

describe('DELETE /users/me', () => {
  it('when the password is right, then the account and its tokens are gone and users.user.deleted is written', async () => {
    const { tokens, user } = await signedInUser(h);

    const response = await h.app.inject({
      method: 'DELETE',
      url: '/users/me',
      headers: bearer(tokens.accessToken),
      payload: { password: strongPassword },
    });

    expect(response.statusCode).toBe(204);
    expect(await h.client.db.select().from(users).where(eq(users.id, user.id))).toEqual([]);
    expect(await h.client.db.select().from(refreshTokens).where(eq(refreshTokens.userId, user.id))).toEqual([]);
    expect(await h.client.db.select().from(oneTimeTokens).where(eq(oneTimeTokens.userId, user.id))).toEqual([]);
    const deleted = (await outboxEventsOfType(h, 'users.user.deleted')).filter((e) => e.data.userId === user.id);
    expect(deleted).toHaveLength(1);
    // The access token is still within its lifetime, but the account no longer exists.
    const me = await h.app.inject({ method: 'GET', url: '/users/me', headers: bearer(tokens.accessToken) });
    expect(me.statusCode).toBe(404);
    expect(me.json().code).toBe('USER_NOT_FOUND');
    const refresh = await h.app.inject({ method: 'POST', url: '/users/token/refresh', payload: { refreshToken: tokens.refreshToken } });
    expect(refresh.statusCode).toBe(401);
  });

  it('when the password is wrong, then it answers 403 INVALID_PASSWORD and keeps the account', async () => {
    const { tokens, user } = await signedInUser(h);

    const response = await h.app.inject({
      method: 'DELETE',
      url: '/users/me',
      headers: bearer(tokens.accessToken),
      payload: { password: 'definitely not it' },
    });

    expect(response.statusCode).toBe(403);
    expect(response.json().code).toBe('INVALID_PASSWORD');
    expect(await h.client.db.select().from(users).where(eq(users.id, user.id))).toHaveLength(1);
  });

  it('when the body is missing, then it answers 400', async () => {
    const { tokens } = await signedInUser(h);

    const response = await h.app.inject({ method: 'DELETE', url: '/users/me', headers: bearer(tokens.accessToken) });

    expect(response.statusCode).toBe(400);
  });
});
