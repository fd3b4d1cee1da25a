import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertOneTimeToken } from '../src/data/one-time-tokens.js';
import { loadUsersConfig } from '../src/config.js';
import { generateOpaqueToken, hashOpaqueToken } from '../src/security/opaque-tokens.js';
import {
  bearer,
  signedInUser,
  startHarness,
  strongPassword,
  uniqueEmail,
  verifiedUser,
  type Harness,
} from './support/service.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h?.close());

let ipCounter = 0;
const freshIp = () => `203.0.113.${++ipCounter}`;

describe('reset links after the password changed', () => {
  it('when the password is changed, then a reset link mailed before the change no longer works', async () => {
    const { email, tokens } = await signedInUser(h);
    await h.app.inject({ method: 'POST', url: '/users/password/forgot', payload: { email } });
    const resetToken = await h.emailLinks.latest('users.password_reset.requested', email);

    const changed = await h.app.inject({
      method: 'POST',
      url: '/users/password/change',
      headers: bearer(tokens.accessToken),
      payload: { currentPassword: strongPassword, newPassword: 'pelican under quiet rain' },
      remoteAddress: freshIp(),
    });
    const reset = await h.app.inject({ method: 'POST', url: '/users/password/reset', payload: { token: resetToken, newPassword: 'attacker chosen passphrase' } });

    expect(changed.statusCode).toBe(204);
    expect(reset.statusCode).toBe(400);
    expect(reset.json().code).toBe('TOKEN_INVALID');
  });

  it('when the password is reset, then every other outstanding reset link stops working too', async () => {
    const { email, user } = await verifiedUser(h);
    await h.app.inject({ method: 'POST', url: '/users/password/forgot', payload: { email } });
    const used = await h.emailLinks.latest('users.password_reset.requested', email);
    // A second link issued in the same instant (two requests racing) is outstanding beside it.
    const other = generateOpaqueToken();
    const now = new Date();
    await insertOneTimeToken(h.client.db, {
      userId: user.id,
      purpose: 'reset_password',
      tokenHash: hashOpaqueToken(other),
      createdAt: now,
      expiresAt: new Date(now.getTime() + 3_600_000),
    });

    const first = await h.app.inject({ method: 'POST', url: '/users/password/reset', payload: { token: used, newPassword: 'pelican under quiet rain' } });
    const second = await h.app.inject({ method: 'POST', url: '/users/password/reset', payload: { token: other, newPassword: 'attacker chosen passphrase' } });

    expect(first.statusCode).toBe(204);
    expect(second.statusCode).toBe(400);
    expect(second.json().code).toBe('TOKEN_INVALID');
  });
});

describe('text no database can store, and text that disguises itself', () => {
  const bad = { nul: 'abc\u0000def', loneSurrogate: 'abc\ud800def' };

  it('when any text field of any body carries NUL or a lone surrogate, then the answer is 400 VALIDATION_FAILED, never 500', async () => {
    const { tokens } = await signedInUser(h);
    const auth = bearer(tokens.accessToken);
    const token = 'A'.repeat(43);
    const requests: Array<{ method: 'POST' | 'PATCH' | 'DELETE'; url: string; body: (s: string) => object; headers?: object }> = [
      { method: 'POST', url: '/users/register', body: (s) => ({ email: uniqueEmail(), password: `${strongPassword}${s}`, displayName: 'Ann' }) },
      { method: 'POST', url: '/users/register', body: (s) => ({ email: uniqueEmail(), password: strongPassword, displayName: `Ann${s}` }) },
      { method: 'POST', url: '/users/register', body: (s) => ({ email: `a${s}@example.org`, password: strongPassword, displayName: 'Ann' }) },
      { method: 'POST', url: '/users/login', body: (s) => ({ email: uniqueEmail(), password: `pw${s}` }) },
      { method: 'POST', url: '/users/verify-email', body: (s) => ({ token: `${token}${s}` }) },
      { method: 'POST', url: '/users/verify-email/resend', body: (s) => ({ email: `a${s}@example.org` }) },
      { method: 'POST', url: '/users/password/forgot', body: (s) => ({ email: `a${s}@example.org` }) },
      { method: 'POST', url: '/users/password/reset', body: (s) => ({ token, newPassword: `${strongPassword}${s}` }) },
      { method: 'POST', url: '/users/token/refresh', body: (s) => ({ refreshToken: `${token}${s}` }) },
      { method: 'POST', url: '/users/logout', body: (s) => ({ refreshToken: `${token}${s}` }) },
      { method: 'POST', url: '/users/password/change', headers: auth, body: (s) => ({ currentPassword: `x${s}`, newPassword: strongPassword }) },
      { method: 'POST', url: '/users/password/change', headers: auth, body: (s) => ({ currentPassword: strongPassword, newPassword: `${strongPassword}${s}` }) },
      { method: 'PATCH', url: '/users/me', headers: auth, body: (s) => ({ displayName: `Ann${s}` }) },
      { method: 'DELETE', url: '/users/me', headers: auth, body: (s) => ({ password: `x${s}` }) },
    ];

    for (const request of requests) {
      for (const [kind, value] of Object.entries(bad)) {
        const response = await h.app.inject({
          method: request.method,
          url: request.url,
          headers: { 'content-type': 'application/json', ...request.headers },
          // JSON.stringify would write the lone surrogate as an escape, just as an attacker's client does.
          payload: JSON.stringify(request.body(value)),
          remoteAddress: freshIp(),
        });
        expect(response.statusCode, `${request.method} ${request.url} with ${kind}: ${response.body}`).toBe(400);
        expect(response.json().code).toBe('VALIDATION_FAILED');
      }
    }
  });

  it('when a display name carries a right-to-left override or another invisible formatting character, then it is refused', async () => {
    const { tokens } = await signedInUser(h);

    for (const displayName of ['Ann\u202Egnp.exe', '\u2066Ann\u2069', 'Ann\u200B', '\u200FAnn']) {
      const registered = await h.app.inject({ method: 'POST', url: '/users/register', payload: { email: uniqueEmail(), password: strongPassword, displayName } });
      const patched = await h.app.inject({ method: 'PATCH', url: '/users/me', headers: bearer(tokens.accessToken), payload: { displayName } });

      expect(registered.statusCode, JSON.stringify(displayName)).toBe(400);
      expect(registered.json().details[0]).toMatchObject({ path: 'body.displayName', message: expect.stringMatching(/invisible formatting/) });
      expect(patched.statusCode).toBe(400);
    }
    const ordinary = await h.app.inject({ method: 'PATCH', url: '/users/me', headers: bearer(tokens.accessToken), payload: { displayName: 'Zoë 👩‍💻 Ångström' } });
    expect(ordinary.statusCode).toBe(200);
  });

  it('when a body is text/plain, then the answer is 415 as documented', async () => {
    const response = await h.app.inject({ method: 'POST', url: '/users/login', headers: { 'content-type': 'text/plain' }, payload: 'email=a&password=b' });

    expect(response.statusCode).toBe(415);
    expect(response.json().code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });
});

describe('client addresses behind the gateway', () => {
  it('when TRUST_PROXY says true (believe anyone), then the service refuses to start', () => {
    expect(() => loadUsersConfig({ TRUST_PROXY: 'true' })).toThrow(/TRUST_PROXY/);
  });

  it('when a client reaches the service directly with a forged X-Forwarded-For, then throttling still counts its own address', async () => {
    const gatewayAddress = '10.9.0.2';
    const g = await startHarness({ env: { TRUST_PROXY: gatewayAddress, LOGIN_MAX_FAILURES_PER_IP: '3', LOGIN_MAX_FAILURES_PER_ACCOUNT: '100' } });
    try {
      const { email } = await verifiedUser(g);
      const attempt = (remoteAddress: string, forwardedFor: string) =>
        g.app.inject({
          method: 'POST',
          url: '/users/login',
          payload: { email, password: 'wrong wrong wrong' },
          headers: { 'x-forwarded-for': forwardedFor },
          remoteAddress,
        });

      const direct = [];
      for (let i = 1; i <= 5; i++) direct.push((await attempt('192.0.2.200', `198.18.0.${i}`)).statusCode);
      const viaGateway = [];
      for (let i = 1; i <= 5; i++) viaGateway.push((await attempt(gatewayAddress, `198.18.1.${i}`)).statusCode);

      expect(direct).toEqual([401, 401, 401, 429, 429]);
      // Through the gateway, the address it forwards is the client's: five different clients, none throttled.
      expect(viaGateway).toEqual([401, 401, 401, 401, 401]);
    } finally {
      await g.close();
    }
  });
});
