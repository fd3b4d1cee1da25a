import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { oneTimeTokens, users } from '../src/db/schema.js';
import {
  bearer,
  latestLinkToken,
  loginAs,
  outboxEventsOfType,
  register,
  signedInUser,
  startHarness,
  strongPassword,
  uniqueEmail,
  type Harness,
} from './support/service.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ env: { EMAIL_COOLDOWN_SECONDS: '0', LOGIN_MAX_FAILURES_PER_ACCOUNT: '3' } });
});
afterAll(async () => h?.close());

const newPassword = 'a brand new passphrase';
/** Asks for a reset link and lets the email-link worker send it. */
const forgot = async (email: string) => {
  const response = await h.app.inject({ method: 'POST', url: '/users/password/forgot', payload: { email } });
  await h.emailLinks.drain();
  return response;
};
const reset = (token: string, password = newPassword) =>
  h.app.inject({ method: 'POST', url: '/users/password/reset', payload: { token, newPassword: password } });
const refresh = (refreshToken: string) =>
  h.app.inject({ method: 'POST', url: '/users/token/refresh', payload: { refreshToken } });

describe('POST /users/password/forgot', () => {
  it('when the account exists, then it answers 202 and announces a reset link built from the public base URL', async () => {
    const { email, user } = await signedInUser(h);

    const response = await forgot(email);

    expect(response.statusCode).toBe(202);
    const [event] = (await outboxEventsOfType(h, 'users.password_reset.requested')).filter((e) => e.data.email === email);
    expect(event!.data).toMatchObject({ userId: user.id, email, expiresAt: expect.any(String) });
    expect(String(event!.data.resetUrl)).toMatch(/^https:\/\/app\.trendcast\.test\/reset-password\?token=[A-Za-z0-9_-]{43}$/);
  });

  it('when the email is unknown, then it answers the identical 202 and announces nothing', async () => {
    const { email } = await signedInUser(h);
    const known = await forgot(email);
    const before = (await outboxEventsOfType(h, 'users.password_reset.requested')).length;

    const unknown = await forgot(uniqueEmail('ghost'));

    expect(unknown.statusCode).toBe(202);
    expect(unknown.body).toBe(known.body);
    expect((await outboxEventsOfType(h, 'users.password_reset.requested')).length).toBe(before);
  });
});

describe('POST /users/password/reset', () => {
  it('when the token is fresh, then the password changes, every session ends and one event says so', async () => {
    const { email, tokens, user } = await signedInUser(h);
    await forgot(email);
    const token = await latestLinkToken(h, 'users.password_reset.requested', email);
    const changedBefore = (await outboxEventsOfType(h, 'users.password.changed')).length;

    const response = await reset(token);

    expect(response.statusCode).toBe(204);
    expect((await refresh(tokens.refreshToken)).json().code).toBe('REFRESH_TOKEN_INVALID');
    await expect(loginAs(h, email, strongPassword)).rejects.toThrow(/401/);
    await expect(loginAs(h, email, newPassword)).resolves.toHaveProperty('accessToken');
    const changed = await outboxEventsOfType(h, 'users.password.changed');
    expect(changed.length).toBe(changedBefore + 1);
    expect(changed.at(-1)!.data).toMatchObject({ userId: user.id, email });
  });

  it('when the token was already used, then it answers 400 TOKEN_INVALID and the password stays', async () => {
    const { email } = await signedInUser(h);
    await forgot(email);
    const token = await latestLinkToken(h, 'users.password_reset.requested', email);
    expect((await reset(token)).statusCode).toBe(204);

    const again = await reset(token, 'yet another passphrase');

    expect(again.statusCode).toBe(400);
    expect(again.json().code).toBe('TOKEN_INVALID');
    await expect(loginAs(h, email, newPassword)).resolves.toHaveProperty('accessToken');
  });

  it('when the token has expired, then it answers 400 TOKEN_EXPIRED and the password stays', async () => {
    const { email, user } = await signedInUser(h);
    await forgot(email);
    const token = await latestLinkToken(h, 'users.password_reset.requested', email);
    await h.client.db.update(oneTimeTokens).set({ expiresAt: new Date(Date.now() - 1) }).where(eq(oneTimeTokens.userId, user.id));

    const response = await reset(token);

    expect(response.statusCode).toBe(400);
    expect(response.json().code).toBe('TOKEN_EXPIRED');
    await expect(loginAs(h, email, strongPassword)).resolves.toHaveProperty('accessToken');
  });

  it('when a newer link was sent, then the older one no longer works', async () => {
    const { email } = await signedInUser(h);
    await forgot(email);
    const older = await latestLinkToken(h, 'users.password_reset.requested', email);
    await forgot(email);

    const response = await reset(older);

    expect(response.json().code).toBe('TOKEN_INVALID');
  });

  it('when the new password is weak, then it answers 400 WEAK_PASSWORD and the token still works', async () => {
    const { email } = await signedInUser(h);
    await forgot(email);
    const token = await latestLinkToken(h, 'users.password_reset.requested', email);

    const weak = await reset(token, 'short');
    const good = await reset(token);

    expect(weak.statusCode).toBe(400);
    expect(weak.json().code).toBe('WEAK_PASSWORD');
    expect(good.statusCode).toBe(204);
  });

  it('when an unverified account resets its password, then the mailbox counts as verified', async () => {
    const { email } = await register(h);
    await forgot(email);
    const token = await latestLinkToken(h, 'users.password_reset.requested', email);

    await reset(token);

    const [stored] = await h.client.db.select().from(users).where(eq(users.email, email));
    expect(stored!.emailVerifiedAt).not.toBeNull();
  });

  it('when the account was locked by failed guesses, then a reset lifts the lock', async () => {
    const { email } = await signedInUser(h);
    for (let i = 0; i < 3; i += 1) {
      await h.app.inject({ method: 'POST', url: '/users/login', payload: { email, password: `guess number ${i}` }, remoteAddress: `198.51.100.${i}` });
    }
    await forgot(email);

    await reset(await latestLinkToken(h, 'users.password_reset.requested', email));

    await expect(loginAs(h, email, newPassword)).resolves.toHaveProperty('accessToken');
  });
});

describe('POST /users/password/change', () => {
  const change = (accessToken: string, currentPassword: string, password = newPassword) =>
    h.app.inject({
      method: 'POST',
      url: '/users/password/change',
      headers: bearer(accessToken),
      payload: { currentPassword, newPassword: password },
    });

  it('when the current password is right, then it changes, other sessions end, this one stays, one event is written', async () => {
    const { email, tokens, user } = await signedInUser(h);
    const other = await loginAs(h, email);
    const before = (await outboxEventsOfType(h, 'users.password.changed')).length;

    const response = await change(tokens.accessToken, strongPassword);

    expect(response.statusCode).toBe(204);
    expect((await refresh(other.refreshToken)).statusCode).toBe(401);
    expect((await refresh(tokens.refreshToken)).statusCode).toBe(200);
    const changed = await outboxEventsOfType(h, 'users.password.changed');
    expect(changed.length).toBe(before + 1);
    expect(changed.at(-1)!.data.userId).toBe(user.id);
    await expect(loginAs(h, email, newPassword)).resolves.toHaveProperty('accessToken');
  });

  it('when the current password is wrong, then it answers 403 INVALID_PASSWORD and nothing changes', async () => {
    const { email, tokens } = await signedInUser(h);

    const response = await change(tokens.accessToken, 'not my password at all');

    expect(response.statusCode).toBe(403);
    expect(response.json().code).toBe('INVALID_PASSWORD');
    await expect(loginAs(h, email, strongPassword)).resolves.toHaveProperty('accessToken');
  });

  it('when wrong current passwords keep coming, then the account is throttled', async () => {
    const { tokens } = await signedInUser(h);
    for (let i = 0; i < 3; i += 1) await change(tokens.accessToken, `wrong guess ${i}`);

    const response = await change(tokens.accessToken, strongPassword);

    expect(response.statusCode).toBe(429);
    expect(response.headers['retry-after']).toBeDefined();
  });

  it('when the new password is weak or the same, then it answers 400 WEAK_PASSWORD', async () => {
    const { tokens } = await signedInUser(h);

    const same = await change(tokens.accessToken, strongPassword, strongPassword);

    expect(same.statusCode).toBe(400);
    expect(same.json()).toMatchObject({ code: 'WEAK_PASSWORD', details: { problems: ['same_as_current'] } });
  });

  it('when not signed in, then it answers 401', async () => {
    const response = await h.app.inject({
      method: 'POST',
      url: '/users/password/change',
      payload: { currentPassword: strongPassword, newPassword },
    });

    expect(response.statusCode).toBe(401);
  });
});
