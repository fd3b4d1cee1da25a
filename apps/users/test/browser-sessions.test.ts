import { eq } from 'drizzle-orm';
import { decodeJwt } from 'jose';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserSessionSettings } from '../src/routes/browser-session-settings.js';
import { loadUsersConfig } from '../src/config.js';
import { refreshTokens } from '../src/db/schema.js';
import { hashOpaqueToken } from '../src/security/opaque-tokens.js';
import { strongPassword, startHarness, verifiedUser, type Harness } from './support/service.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h?.close());

const ourPage = { origin: 'https://app.trendcast.test', 'x-trendcast-client': 'web' };
const cookieName = 'trendcast_refresh';

function refreshCookieOf(response: LightMyRequestResponse) {
  const cookie = response.cookies.find((c) => c.name === cookieName);
  if (!cookie) throw new Error(`no ${cookieName} cookie in ${JSON.stringify(response.headers['set-cookie'])}`);
  return cookie as { name: string; value: string; path?: string; httpOnly?: boolean; secure?: boolean; sameSite?: string; maxAge?: number; expires?: Date };
}

async function signIn(email: string, headers: Record<string, string> = ourPage) {
  return h.app.inject({ method: 'POST', url: '/users/sessions/browser', headers, payload: { email, password: strongPassword } });
}

async function signedInBrowser() {
  const { email, user } = await verifiedUser(h);
  const response = await signIn(email);
  expect(response.statusCode).toBe(200);
  return { email, user, body: response.json() as { accessToken: string; expiresIn: number; user: { id: string } }, cookie: refreshCookieOf(response).value };
}

const refresh = (cookie: string | undefined, headers: Record<string, string> = ourPage) =>
  h.app.inject({
    method: 'POST',
    url: '/users/sessions/browser/refresh',
    headers,
    ...(cookie === undefined ? {} : { cookies: { [cookieName]: cookie } }),
  });

describe('POST /users/sessions/browser (sign in from the web app)', () => {
  it('when the password is right, then the body has the access token and the account but the refresh token only travels in a locked-down cookie', async () => {
    const { email, user } = await verifiedUser(h);

    const response = await signIn(email);

    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(Object.keys(body).sort()).toEqual(['accessToken', 'expiresIn', 'user']);
    expect(body.user).toMatchObject({ id: user.id, email, emailVerified: true });
    expect(decodeJwt(body.accessToken).sub).toBe(user.id);
    const cookie = refreshCookieOf(response);
    expect(cookie).toMatchObject({ httpOnly: true, secure: true, sameSite: 'Strict', path: '/api/users/sessions/browser' });
    expect(cookie.maxAge).toBe(h.config.REFRESH_TOKEN_TTL_SECONDS);
    const [stored] = await h.client.db.select().from(refreshTokens).where(eq(refreshTokens.tokenHash, hashOpaqueToken(cookie.value)));
    expect(stored?.userId).toBe(user.id);
    expect(response.headers['cache-control']).toBe('no-store');
  });

  it('when the password is wrong, then it answers 401 INVALID_CREDENTIALS and sets no cookie', async () => {
    const { email } = await verifiedUser(h);

    const response = await h.app.inject({
      method: 'POST',
      url: '/users/sessions/browser',
      headers: ourPage,
      payload: { email, password: 'not the password at all' },
    });

    expect(response.statusCode).toBe(401);
    expect(response.json().code).toBe('INVALID_CREDENTIALS');
    expect(response.headers['set-cookie']).toBeUndefined();
  });

  it('when the request lacks the web client header or comes from another origin, then it answers 403 and signs no one in', async () => {
    const { email } = await verifiedUser(h);

    const attempts: Record<string, string>[] = [
      { origin: ourPage.origin },
      { ...ourPage, origin: 'https://evil.example' },
      { 'x-trendcast-client': 'web' },
    ];
    for (const headers of attempts) {
      const response = await signIn(email, headers);

      expect(response.statusCode, JSON.stringify(headers)).toBe(403);
      expect(response.json().code).toBe('CSRF_REJECTED');
      expect(response.headers['set-cookie']).toBeUndefined();
    }
  });
});

describe('POST /users/sessions/browser/refresh', () => {
  it('when the cookie is current, then it rotates the cookie and returns a new access token of the same session', async () => {
    const { body, cookie, user } = await signedInBrowser();

    const response = await refresh(cookie);

    expect(response.statusCode).toBe(200);
    const next = refreshCookieOf(response);
    expect(next.value).not.toBe(cookie);
    expect(next).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/api/users/sessions/browser' });
    const answer = response.json();
    expect(answer.user.id).toBe(user.id);
    expect(decodeJwt(answer.accessToken).sid).toBe(decodeJwt(body.accessToken).sid);
    const [old] = await h.client.db.select().from(refreshTokens).where(eq(refreshTokens.tokenHash, hashOpaqueToken(cookie)));
    expect(old?.spentAt).not.toBeNull();
  });

  it('when a rotated-away cookie comes back, then it answers 401 REFRESH_TOKEN_REUSED, clears the cookie and the newest cookie dies too', async () => {
    const { cookie } = await signedInBrowser();
    const newest = refreshCookieOf(await refresh(cookie)).value;

    const replay = await refresh(cookie);

    expect(replay.statusCode).toBe(401);
    expect(replay.json().code).toBe('REFRESH_TOKEN_REUSED');
    expect(refreshCookieOf(replay)).toMatchObject({ value: '', path: '/api/users/sessions/browser' });
    expect(refreshCookieOf(replay).expires!.getTime()).toBeLessThanOrEqual(Date.now());
    const legit = await refresh(newest);
    expect(legit.statusCode).toBe(401);
    expect(legit.json().code).toBe('REFRESH_TOKEN_INVALID');
  });

  it('when the custom header is missing, then it answers 403 and the cookie is not spent', async () => {
    const { cookie } = await signedInBrowser();

    const forged = await refresh(cookie, { origin: ourPage.origin });

    expect(forged.statusCode).toBe(403);
    expect(forged.json()).toMatchObject({ code: 'CSRF_REJECTED', error: expect.stringContaining('x-trendcast-client') });
    expect(forged.headers['set-cookie']).toBeUndefined();
    expect((await refresh(cookie)).statusCode).toBe(200);
  });

  it('when the Origin is missing or foreign, then it answers 403 and the cookie is not spent', async () => {
    const { cookie } = await signedInBrowser();

    const attempts: Record<string, string>[] = [{ 'x-trendcast-client': 'web' }, { ...ourPage, origin: 'https://app.trendcast.test.evil.example' }];
    for (const headers of attempts) {
      const response = await refresh(cookie, headers);
      expect(response.statusCode).toBe(403);
      expect(response.json().code).toBe('CSRF_REJECTED');
    }
    expect((await refresh(cookie)).statusCode).toBe(200);
  });

  it('when there is no cookie, or one that is not a token, then it answers 401 REFRESH_TOKEN_INVALID', async () => {
    for (const cookie of [undefined, 'x', 'a'.repeat(43)]) {
      const response = await refresh(cookie);

      expect(response.statusCode).toBe(401);
      expect(response.json().code).toBe('REFRESH_TOKEN_INVALID');
    }
  });
});

describe('DELETE /users/sessions/browser (sign out)', () => {
  it('when signing out, then it answers 204, clears the cookie and the session can no longer refresh', async () => {
    const { cookie } = await signedInBrowser();

    const response = await h.app.inject({ method: 'DELETE', url: '/users/sessions/browser', headers: ourPage, cookies: { [cookieName]: cookie } });

    expect(response.statusCode).toBe(204);
    const cleared = refreshCookieOf(response);
    expect(cleared).toMatchObject({ value: '', httpOnly: true, sameSite: 'Strict', path: '/api/users/sessions/browser' });
    expect(cleared.expires!.getTime()).toBeLessThanOrEqual(Date.now());
    const after = await refresh(cookie);
    expect(after.statusCode).toBe(401);
    expect(after.json().code).toBe('REFRESH_TOKEN_INVALID');
  });

  it('when the custom header is missing, then it answers 403 and the session lives on', async () => {
    const { cookie } = await signedInBrowser();

    const response = await h.app.inject({ method: 'DELETE', url: '/users/sessions/browser', headers: { origin: ourPage.origin }, cookies: { [cookieName]: cookie } });

    expect(response.statusCode).toBe(403);
    expect((await refresh(cookie)).statusCode).toBe(200);
  });

  it('when there is no cookie, then signing out still answers 204 (it is idempotent)', async () => {
    const response = await h.app.inject({ method: 'DELETE', url: '/users/sessions/browser', headers: ourPage });

    expect(response.statusCode).toBe(204);
  });
});

describe('browser session settings', () => {
  const base = { DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/unused', PUBLIC_BASE_URL: 'http://localhost:8080/' };

  it('when NODE_ENV is development, then the cookie is not Secure (plain http on localhost), and Secure everywhere else unless configured', () => {
    expect(browserSessionSettings(loadUsersConfig({ ...base, NODE_ENV: 'development' })).cookieSecure).toBe(false);
    expect(browserSessionSettings(loadUsersConfig({ ...base, NODE_ENV: 'production', JWT_SIGNING_KEYS: '[]' })).cookieSecure).toBe(true);
    expect(browserSessionSettings(loadUsersConfig({ ...base, NODE_ENV: 'test' })).cookieSecure).toBe(true);
    expect(browserSessionSettings(loadUsersConfig({ ...base, NODE_ENV: 'development', SESSION_COOKIE_SECURE: 'true' })).cookieSecure).toBe(true);
  });

  it('when WEB_ORIGINS lists more origins, then they are allowed beside the public base URL, and a path in the list is refused', () => {
    const settings = browserSessionSettings(loadUsersConfig({ ...base, WEB_ORIGINS: 'https://a.example, http://127.0.0.1:8080' }));

    expect([...settings.allowedOrigins].sort()).toEqual(['http://127.0.0.1:8080', 'http://localhost:8080', 'https://a.example']);
    expect(() => loadUsersConfig({ ...base, WEB_ORIGINS: 'https://a.example/app' })).toThrow(/WEB_ORIGINS/);
  });
});
