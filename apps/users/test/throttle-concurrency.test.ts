import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { bearer, signedInUser, startHarness, strongPassword, uniqueEmail, verifiedUser, type Harness } from './support/service.js';

// Throttles must hold when the requests arrive together, not only one after another: every limit
// is checked with at least 50 requests in flight at once, and at most the limit may reach the
// password check (counted on the hasher) while the rest get 429 with Retry-After.
let h: Harness;
beforeAll(async () => {
  h = await startHarness({
    env: { LOGIN_MAX_FAILURES_PER_ACCOUNT: '5', LOGIN_MAX_FAILURES_PER_IP: '30', REGISTER_MAX_EMAIL_TAKEN_PER_IP: '10' },
  });
});
afterAll(async () => h?.close());
afterEach(() => vi.restoreAllMocks());

let ipCounter = 0;
const freshIp = () => `198.51.100.${++ipCounter}`;

type Injected = Awaited<ReturnType<Harness['app']['inject']>>;

function expectThrottled(responses: Injected[], allowedStatus: number, allowedCode: string, limit: number) {
  const allowed = responses.filter((response) => response.statusCode === allowedStatus);
  const refused = responses.filter((response) => response.statusCode === 429);
  expect(allowed.length + refused.length).toBe(responses.length);
  expect(allowed.length).toBeLessThanOrEqual(limit);
  for (const response of allowed) expect(response.json().code).toBe(allowedCode);
  for (const response of refused) {
    expect(response.json()).toMatchObject({ code: 'TOO_MANY_ATTEMPTS', details: { retryAfterSeconds: expect.any(Number) } });
    expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
  }
  return { allowed: allowed.length, refused: refused.length };
}

describe('throttles under concurrent requests', () => {
  it('when 200 sign-ins to one account arrive at once, then at most 5 reach the password check and the rest get 429', async () => {
    const { email } = await verifiedUser(h);
    const verify = vi.spyOn(h.deps.hasher, 'verify');
    const ip = freshIp();

    const responses = await Promise.all(
      Array.from({ length: 200 }, () =>
        h.app.inject({ method: 'POST', url: '/users/login', payload: { email, password: 'not the password' }, remoteAddress: ip }),
      ),
    );

    expect(verify.mock.calls.length).toBeLessThanOrEqual(5);
    const { allowed, refused } = expectThrottled(responses, 401, 'INVALID_CREDENTIALS', 5);
    expect(allowed).toBe(verify.mock.calls.length);
    expect(refused).toBeGreaterThanOrEqual(195);
  });

  it('when 60 sign-ins for different unknown emails arrive at once from one address, then at most 30 are checked', async () => {
    const dummy = vi.spyOn(h.deps.hasher, 'verifyAgainstDummy');
    const ip = freshIp();

    const responses = await Promise.all(
      Array.from({ length: 60 }, () =>
        h.app.inject({ method: 'POST', url: '/users/login', payload: { email: uniqueEmail('nobody'), password: 'guess guess guess' }, remoteAddress: ip }),
      ),
    );

    expect(dummy.mock.calls.length).toBeLessThanOrEqual(30);
    expectThrottled(responses, 401, 'INVALID_CREDENTIALS', 30);
  });

  it('when 50 registrations of taken emails arrive at once from one address, then at most 10 learn EMAIL_TAKEN', async () => {
    const taken = await Promise.all(Array.from({ length: 5 }, () => verifiedUser(h)));
    const ip = freshIp();

    const responses = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        h.app.inject({
          method: 'POST',
          url: '/users/register',
          payload: { email: taken[i % taken.length]!.email, password: strongPassword, displayName: 'Probe' },
          remoteAddress: ip,
        }),
      ),
    );

    const { refused } = expectThrottled(responses, 409, 'EMAIL_TAKEN', 10);
    expect(refused).toBeGreaterThanOrEqual(40);
  });

  it('when 50 password changes with wrong current passwords arrive at once, then at most 5 are checked', async () => {
    const { tokens } = await signedInUser(h);
    const verify = vi.spyOn(h.deps.hasher, 'verify');
    const ip = freshIp();

    const responses = await Promise.all(
      Array.from({ length: 50 }, () =>
        h.app.inject({
          method: 'POST',
          url: '/users/password/change',
          headers: bearer(tokens.accessToken),
          payload: { currentPassword: 'not my password', newPassword: 'pelican under quiet rain' },
          remoteAddress: ip,
        }),
      ),
    );

    expect(verify.mock.calls.length).toBeLessThanOrEqual(5);
    expectThrottled(responses, 403, 'INVALID_PASSWORD', 5);
  });

  it('when 50 account deletions with wrong passwords arrive at once, then at most 5 are checked and the account stays', async () => {
    const { tokens } = await signedInUser(h);
    const verify = vi.spyOn(h.deps.hasher, 'verify');
    const ip = freshIp();

    const responses = await Promise.all(
      Array.from({ length: 50 }, () =>
        h.app.inject({ method: 'DELETE', url: '/users/me', headers: bearer(tokens.accessToken), payload: { password: 'not my password' }, remoteAddress: ip }),
      ),
    );

    expect(verify.mock.calls.length).toBeLessThanOrEqual(5);
    expectThrottled(responses, 403, 'INVALID_PASSWORD', 5);
    expect((await h.app.inject({ method: 'GET', url: '/users/me', headers: bearer(tokens.accessToken) })).statusCode).toBe(200);
  });

  it('when the right password arrives among concurrent wrong ones under the limit, then it signs in and releases its own slot', async () => {
    const { email } = await verifiedUser(h);
    const ip = freshIp();

    const [right, ...wrong] = await Promise.all([
      h.app.inject({ method: 'POST', url: '/users/login', payload: { email, password: strongPassword }, remoteAddress: ip }),
      ...Array.from({ length: 3 }, () =>
        h.app.inject({ method: 'POST', url: '/users/login', payload: { email, password: 'wrong wrong wrong' }, remoteAddress: ip }),
      ),
    ]);

    expect(right!.statusCode).toBe(200);
    expect(wrong.every((response) => response.statusCode === 401)).toBe(true);
    // The success forgave the account, and only the 3 failures count against the address.
    const [failures] = await h.client.sql<{ n: number }[]>`select count(*)::int as n from auth_failures where key = ${ip}`;
    expect(failures!.n).toBe(3);
  });
});
