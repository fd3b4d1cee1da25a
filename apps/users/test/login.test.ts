import { hash } from '@node-rs/argon2';
import { eq } from 'drizzle-orm';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { users } from '../src/db/schema.js';
import {
  bearer,
  register,
  startHarness,
  strongPassword,
  uniqueEmail,
  verifiedUser,
  type Harness,
} from './support/service.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ env: { LOGIN_MAX_FAILURES_PER_ACCOUNT: '3', LOGIN_MAX_FAILURES_PER_IP: '6' } });
});
afterAll(async () => h?.close());

let ipCounter = 0;
/** Each test its own client address, so per-address throttling of one test cannot touch another. */
const freshIp = () => `192.0.2.${++ipCounter}`;

const login = (email: string, password: string, ip: string) =>
  h.app.inject({ method: 'POST', url: '/users/login', payload: { email, password }, remoteAddress: ip });

describe('POST /users/login', () => {
  it('when the password is right, then it returns an EdDSA access token and an opaque refresh token', async () => {
    const { email, user } = await verifiedUser(h);

    const response = await login(email.toUpperCase(), strongPassword, freshIp());

    expect(response.statusCode).toBe(200);
    expect(response.headers['cache-control']).toBe('no-store');
    const body = response.json();
    expect(body).toMatchObject({ tokenType: 'Bearer', expiresIn: 900 });
    expect(body.refreshToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(decodeProtectedHeader(body.accessToken)).toMatchObject({ alg: 'EdDSA', kid: 'test-key-1' });
    const claims = decodeJwt(body.accessToken);
    expect(claims).toMatchObject({ sub: user.id, role: 'user', iss: 'trendcast-users', aud: 'trendcast' });
    expect(claims.jti).toEqual(expect.any(String));
    expect(claims.exp! - claims.iat!).toBe(900);
    const me = await h.app.inject({ method: 'GET', url: '/users/me', headers: bearer(body.accessToken) });
    expect(me.json()).toMatchObject({ id: user.id, email });
  });

  it('when the password is wrong or the email unknown, then both get the identical 401 answer', async () => {
    const { email } = await verifiedUser(h);
    const dummy = vi.spyOn(h.deps.hasher, 'verifyAgainstDummy');

    const wrongPassword = await login(email, 'not the right password', freshIp());
    const unknownEmail = await login(uniqueEmail('nobody'), 'not the right password', freshIp());

    expect(wrongPassword.statusCode).toBe(401);
    expect(unknownEmail.statusCode).toBe(401);
    expect(unknownEmail.body).toBe(wrongPassword.body);
    expect(wrongPassword.json()).toEqual({ error: 'Email or password is incorrect', code: 'INVALID_CREDENTIALS' });
    const headersOf = (r: typeof wrongPassword) => {
      const { date: _d, 'x-request-id': _r, 'x-correlation-id': _c, ...rest } = r.headers;
      return rest;
    };
    expect(headersOf(unknownEmail)).toEqual(headersOf(wrongPassword));
    // The unknown email still paid for a full argon2 verification (timing is compared in bench/users).
    expect(dummy).toHaveBeenCalledTimes(1);
    dummy.mockRestore();
  });

  it('when the account is not verified, then the right password gets 403 EMAIL_NOT_VERIFIED', async () => {
    const { email } = await register(h);

    const response = await login(email, strongPassword, freshIp());

    expect(response.statusCode).toBe(403);
    expect(response.json().code).toBe('EMAIL_NOT_VERIFIED');
  });

  it('when an unverified account gets a wrong password, then the answer does not reveal the account', async () => {
    const { email } = await register(h);

    const response = await login(email, 'not the right password', freshIp());

    expect(response.statusCode).toBe(401);
    expect(response.json().code).toBe('INVALID_CREDENTIALS');
  });

  it('when an account keeps failing, then it is throttled with Retry-After, even for the right password', async () => {
    const { email } = await verifiedUser(h);
    for (let i = 0; i < 3; i += 1) expect((await login(email, `wrong password ${i}`, freshIp())).statusCode).toBe(401);

    const refused = await login(email, strongPassword, freshIp());

    expect(refused.statusCode).toBe(429);
    expect(refused.json()).toMatchObject({ code: 'TOO_MANY_ATTEMPTS', details: { retryAfterSeconds: expect.any(Number) } });
    const retryAfter = Number(refused.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(h.config.LOGIN_FAILURE_WINDOW_SECONDS);
  });

  it('when an unknown email keeps failing, then it is throttled just like a real account', async () => {
    const ghost = uniqueEmail('ghost');
    for (let i = 0; i < 3; i += 1) await login(ghost, `wrong password ${i}`, freshIp());

    const refused = await login(ghost, 'wrong password again', freshIp());

    expect(refused.statusCode).toBe(429);
  });

  it('when one address fails across many accounts, then that address is throttled', async () => {
    const ip = freshIp();
    for (let i = 0; i < 6; i += 1) await login(uniqueEmail('spray'), 'wrong password!', ip);
    const { email } = await verifiedUser(h);

    const fromThatAddress = await login(email, strongPassword, ip);
    const fromElsewhere = await login(email, strongPassword, freshIp());

    expect(fromThatAddress.statusCode).toBe(429);
    expect(fromElsewhere.statusCode).toBe(200);
  });

  it('when the failures have left the window, then sign-in works again', async () => {
    const { email } = await verifiedUser(h);
    for (let i = 0; i < 3; i += 1) await login(email, `wrong password ${i}`, freshIp());
    expect((await login(email, strongPassword, freshIp())).statusCode).toBe(429);
    await h.client.sql`update auth_failures set failed_at = failed_at - interval '1 day' where key = ${email}`;

    const response = await login(email, strongPassword, freshIp());

    expect(response.statusCode).toBe(200);
  });

  it('when a success follows a failure, then the account counter starts over', async () => {
    const { email } = await verifiedUser(h);
    await login(email, 'wrong password 1', freshIp());
    await login(email, 'wrong password 2', freshIp());
    expect((await login(email, strongPassword, freshIp())).statusCode).toBe(200);

    await login(email, 'wrong password 3', freshIp());
    await login(email, 'wrong password 4', freshIp());
    const response = await login(email, strongPassword, freshIp());

    expect(response.statusCode).toBe(200);
  });

  it('when the stored hash used older parameters, then a successful sign-in upgrades it', async () => {
    const { email } = await verifiedUser(h);
    const weakHash = await hash(strongPassword, { algorithm: 2, memoryCost: 4096, timeCost: 1, parallelism: 1 });
    await h.client.db.update(users).set({ passwordHash: weakHash }).where(eq(users.email, email));

    const response = await login(email, strongPassword, freshIp());

    expect(response.statusCode).toBe(200);
    const [stored] = await h.client.db.select().from(users).where(eq(users.email, email));
    expect(stored!.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
  });
});
