import { afterEach, describe, expect, it, vi } from 'vitest';
import { apiRequest } from '../src/lib/api/http.js';
import { accountSchema } from '../src/lib/api/users.js';
import { SessionStore } from '../src/lib/session/session-store.js';
import { account, apiError, browserSession, fakeApi } from './support/fake-api.js';

const stores: SessionStore[] = [];
function newStore() {
  const store = new SessionStore({ crossTab: false });
  stores.push(store);
  return store;
}
afterEach(() => {
  for (const store of stores.splice(0)) store.forget();
});

describe('browser session', () => {
  it('when signing in, then the browser-session route is called with the web client header and nothing is written to storage or cookies', async () => {
    const api = fakeApi({ 'POST /api/users/sessions/browser': { body: browserSession('secret-access') } });
    const setItem = vi.spyOn(Storage.prototype, 'setItem');
    const store = newStore();

    await store.signIn('ada@example.org', 'pw');

    expect(store.getState()).toEqual({ status: 'signed-in', user: account });
    const [request] = api.requests('POST', '/api/users/sessions/browser');
    expect(request?.headers['x-trendcast-client']).toBe('web');
    expect(await store.accessToken()).toBe('secret-access');
    expect(setItem).not.toHaveBeenCalled();
    expect(localStorage.length + sessionStorage.length).toBe(0);
    expect(document.cookie).not.toContain('secret-access');
  });

  it('when the access token nears its end, then it is renewed through the refresh route before it expires', async () => {
    vi.useFakeTimers();
    const api = fakeApi({
      'POST /api/users/sessions/browser': { body: browserSession('first', 300) },
      'POST /api/users/sessions/browser/refresh': { body: browserSession('second', 300) },
    });
    const store = newStore();
    await store.signIn('ada@example.org', 'pw');

    await vi.advanceTimersByTimeAsync(239_000);
    expect(api.requests('POST', '/api/users/sessions/browser/refresh')).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(2_000);

    expect(api.requests('POST', '/api/users/sessions/browser/refresh')).toHaveLength(1);
    expect(api.requests('POST', '/api/users/sessions/browser/refresh')[0]?.headers['x-trendcast-client']).toBe('web');
    expect(await store.accessToken()).toBe('second');
  });

  it('when several calls want a renewal at once, then only one refresh is sent (a refresh token spent twice would end the session)', async () => {
    const api = fakeApi({ 'POST /api/users/sessions/browser/refresh': { body: browserSession('renewed') } });
    const store = newStore();

    const results = await Promise.all([store.renew(), store.renew(), store.restore(), store.renew()]);

    expect(results.slice(0, 2)).toEqual([true, true]);
    expect(api.requests('POST', '/api/users/sessions/browser/refresh')).toHaveLength(1);
  });

  it('when the refresh is refused (reused or revoked), then the session ends with a notice for the person', async () => {
    fakeApi({
      'POST /api/users/sessions/browser': { body: browserSession() },
      'POST /api/users/sessions/browser/refresh': apiError(401, 'REFRESH_TOKEN_REUSED', 'The refresh token was already used'),
    });
    const store = newStore();
    await store.signIn('ada@example.org', 'pw');

    expect(await store.renew()).toBe(false);

    expect(store.getState()).toEqual({ status: 'signed-out', notice: 'Your session has ended. Sign in again to continue.' });
    expect(await store.accessToken()).toBeUndefined();
  });

  it('when there is no session cookie at start, then the app knows it is signed out without a notice', async () => {
    fakeApi({ 'POST /api/users/sessions/browser/refresh': apiError(401, 'REFRESH_TOKEN_INVALID', 'The refresh token is invalid') });
    const store = newStore();

    await store.restore();

    expect(store.getState()).toEqual({ status: 'signed-out' });
  });

  it('when signing out, then the server ends the session and the token is gone from memory', async () => {
    const api = fakeApi({ 'POST /api/users/sessions/browser': { body: browserSession() }, 'DELETE /api/users/sessions/browser': { status: 204 } });
    const store = newStore();
    await store.signIn('ada@example.org', 'pw');

    await store.signOut();

    expect(api.requests('DELETE', '/api/users/sessions/browser')[0]?.headers['x-trendcast-client']).toBe('web');
    expect(store.getState().status).toBe('signed-out');
    expect(await store.accessToken()).toBeUndefined();
  });
});

describe('API calls', () => {
  it('when an access token is refused, then it is renewed once and the call repeated with the new token', async () => {
    const { session } = await import('../src/lib/session/session-store.js');
    const api = fakeApi({
      'POST /api/users/sessions/browser': { body: browserSession('old') },
      'POST /api/users/sessions/browser/refresh': { body: browserSession('new') },
      'GET /api/users/me': [apiError(401, 'UNAUTHENTICATED', 'expired'), { body: account }],
    });
    await session.signIn('ada@example.org', 'pw');

    const me = await apiRequest('/users/me', accountSchema);

    expect(me.email).toBe(account.email);
    expect(api.requests('GET', '/api/users/me').map((r) => r.headers.authorization)).toEqual(['Bearer old', 'Bearer new']);
    session.forget();
  });

  it('when the API answers an error, then the message is readable and field problems are mapped to their inputs', async () => {
    fakeApi({
      'POST /api/users/register': apiError(400, 'VALIDATION_FAILED', 'Invalid request', [{ path: 'body.email', message: 'invalid email address' }]),
      'POST /api/users/login': { status: 429, body: { error: 'Too many', code: 'TOO_MANY_ATTEMPTS', details: { retryAfterSeconds: 300 } } },
    });

    const validation = await apiRequest('/users/register', null, { method: 'POST', body: {}, auth: false }).catch((e: unknown) => e);
    const throttled = await apiRequest('/users/login', null, { method: 'POST', body: {}, auth: false }).catch((e: unknown) => e);

    expect(validation).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
    expect((validation as { fieldErrors(): unknown }).fieldErrors()).toEqual({ email: 'Invalid email address' });
    expect(throttled).toMatchObject({ message: 'Too many attempts. Try again in 5 minutes.' });
  });

  it('when the answer does not match what the page expects, then it fails with a readable error instead of showing garbage', async () => {
    fakeApi({ 'GET /api/users/me': { body: { id: 1 } } });

    await expect(apiRequest('/users/me', accountSchema, { auth: false })).rejects.toMatchObject({ code: 'UNEXPECTED_RESPONSE' });
  });
});
