import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { oneTimeTokens, users } from '../src/db/schema.js';
import {
  latestLinkToken,
  loginAs,
  outboxEventsOfType,
  register,
  startHarness,
  strongPassword,
  uniqueEmail,
  type Harness,
} from './support/service.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ env: { EMAIL_COOLDOWN_SECONDS: '0', REGISTER_MAX_EMAIL_TAKEN_PER_IP: '3' } });
});
afterAll(async () => h?.close());

describe('POST /users/register', () => {
  it('when the details are good, then it creates an unverified account and announces it with a verification link', async () => {
    const email = uniqueEmail('new');

    const response = await h.app.inject({
      method: 'POST',
      url: '/users/register',
      payload: { email: `  ${email.toUpperCase()} `, password: strongPassword, displayName: ' Ann ' },
      headers: { 'x-correlation-id': 'signup-123' },
    });

    expect(response.statusCode).toBe(201);
    const body = response.json();
    expect(body).toMatchObject({ email, displayName: 'Ann', role: 'user', emailVerified: false });
    expect(body).not.toHaveProperty('passwordHash');
    const [stored] = await h.client.db.select().from(users).where(eq(users.email, email));
    expect(stored!.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);

    const [registered] = await outboxEventsOfType(h, 'users.user.registered').then((e) => e.filter((x) => x.data.email === email));
    expect(registered).toMatchObject({ data: { userId: body.id, email, displayName: 'Ann' }, correlationId: 'signup-123' });
    const [verification] = (await outboxEventsOfType(h, 'users.email_verification.requested')).filter((x) => x.data.email === email);
    expect(String(verification!.data.verifyUrl)).toMatch(/^https:\/\/app\.trendcast\.test\/verify-email\?token=[A-Za-z0-9_-]{43}$/);
  });

  it('when the email exists in another case, then it answers 409 EMAIL_TAKEN and creates nothing', async () => {
    const { email } = await register(h);

    const response = await h.app.inject({
      method: 'POST',
      url: '/users/register',
      payload: { email: email.toUpperCase(), password: strongPassword, displayName: 'Copy' },
      remoteAddress: '10.1.0.1',
    });

    expect(response.statusCode).toBe(409);
    expect(response.json()).toEqual({ error: expect.any(String), code: 'EMAIL_TAKEN' });
    expect((await h.client.db.select().from(users).where(eq(users.email, email))).length).toBe(1);
  });

  it('when one address keeps hitting taken emails, then it is throttled (against enumeration)', async () => {
    const { email } = await register(h);
    const attempt = () =>
      h.app.inject({
        method: 'POST',
        url: '/users/register',
        payload: { email, password: strongPassword, displayName: 'Probe' },
        remoteAddress: '10.1.0.2',
      });
    for (let i = 0; i < 3; i += 1) expect((await attempt()).statusCode).toBe(409);

    const refused = await attempt();

    expect(refused.statusCode).toBe(429);
    expect(refused.json().code).toBe('TOO_MANY_ATTEMPTS');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('when the password is weak, then it answers 400 WEAK_PASSWORD with the reasons', async () => {
    const email = uniqueEmail('weak');
    const cases: Array<[string, string]> = [
      ['short', 'too_short'],
      ['aaaaaaaaaaaaaaaa', 'too_few_distinct_characters'],
      ['password1234', 'too_common'],
      [`${email.split('@')[0]}-secret!`, 'contains_email'],
    ];
    for (const [password, problem] of cases) {
      const response = await h.app.inject({ method: 'POST', url: '/users/register', payload: { email, password, displayName: 'W' } });
      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({ code: 'WEAK_PASSWORD', details: { problems: expect.arrayContaining([problem]) } });
    }
    expect(await h.client.db.select().from(users).where(eq(users.email, email))).toEqual([]);
  });
});

describe('POST /users/verify-email', () => {
  it('when the link token is fresh, then the account is verified and can sign in', async () => {
    const { email } = await register(h);
    const token = await latestLinkToken(h, 'users.email_verification.requested', email);

    const response = await h.app.inject({ method: 'POST', url: '/users/verify-email', payload: { token } });

    expect(response.statusCode).toBe(204);
    await expect(loginAs(h, email)).resolves.toHaveProperty('accessToken');
  });

  it('when the token was already used, then it answers 400 TOKEN_INVALID', async () => {
    const { email } = await register(h);
    const token = await latestLinkToken(h, 'users.email_verification.requested', email);
    await h.app.inject({ method: 'POST', url: '/users/verify-email', payload: { token } });

    const again = await h.app.inject({ method: 'POST', url: '/users/verify-email', payload: { token } });

    expect(again.statusCode).toBe(400);
    expect(again.json().code).toBe('TOKEN_INVALID');
  });

  it('when the token has expired, then it answers 400 TOKEN_EXPIRED and the account stays unverified', async () => {
    const { email, user } = await register(h);
    const token = await latestLinkToken(h, 'users.email_verification.requested', email);
    await h.client.db.update(oneTimeTokens).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(oneTimeTokens.userId, user.id));

    const response = await h.app.inject({ method: 'POST', url: '/users/verify-email', payload: { token } });

    expect(response.statusCode).toBe(400);
    expect(response.json().code).toBe('TOKEN_EXPIRED');
    const [stored] = await h.client.db.select().from(users).where(eq(users.id, user.id));
    expect(stored!.emailVerifiedAt).toBeNull();
  });

  it('when the token is unknown, then it answers 400 TOKEN_INVALID', async () => {
    const response = await h.app.inject({ method: 'POST', url: '/users/verify-email', payload: { token: 'x'.repeat(43) } });

    expect(response.statusCode).toBe(400);
    expect(response.json().code).toBe('TOKEN_INVALID');
  });
});

describe('POST /users/verify-email/resend', () => {
  it('when the account is unverified, then a new link is sent and only the newest one works', async () => {
    const { email } = await register(h);
    const first = await latestLinkToken(h, 'users.email_verification.requested', email);

    const response = await h.app.inject({ method: 'POST', url: '/users/verify-email/resend', payload: { email } });

    expect(response.statusCode).toBe(202);
    const second = await latestLinkToken(h, 'users.email_verification.requested', email);
    expect(second).not.toBe(first);
    const old = await h.app.inject({ method: 'POST', url: '/users/verify-email', payload: { token: first } });
    expect(old.json().code).toBe('TOKEN_INVALID');
    const fresh = await h.app.inject({ method: 'POST', url: '/users/verify-email', payload: { token: second } });
    expect(fresh.statusCode).toBe(204);
  });

  it('when the email is unknown or already verified, then it answers the same 202 and sends nothing', async () => {
    const before = (await outboxEventsOfType(h, 'users.email_verification.requested')).length;
    const unknown = await h.app.inject({ method: 'POST', url: '/users/verify-email/resend', payload: { email: uniqueEmail('ghost') } });
    const { email } = await register(h);
    const token = await latestLinkToken(h, 'users.email_verification.requested', email);
    await h.app.inject({ method: 'POST', url: '/users/verify-email', payload: { token } });
    const verified = await h.app.inject({ method: 'POST', url: '/users/verify-email/resend', payload: { email } });

    expect(unknown.statusCode).toBe(202);
    expect(verified.statusCode).toBe(202);
    expect(verified.body).toBe(unknown.body);
    expect((await outboxEventsOfType(h, 'users.email_verification.requested')).length).toBe(before + 1);
  });
});
