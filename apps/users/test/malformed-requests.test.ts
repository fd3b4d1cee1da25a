import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, signedInUser, startHarness, strongPassword, type Harness } from './support/service.js';

let h: Harness;
let accessToken: string;
beforeAll(async () => {
  h = await startHarness();
  ({ tokens: { accessToken } } = await signedInUser(h));
});
afterAll(async () => h?.close());

const huge = 'x'.repeat(20_000);
const token = 'T'.repeat(43);

/** Every endpoint that takes a body, with a valid body to break in different ways. */
const endpoints: Array<{ method: 'POST' | 'PATCH' | 'DELETE'; url: string; valid: Record<string, unknown>; auth?: boolean }> = [
  { method: 'POST', url: '/users/register', valid: { email: 'a@example.org', password: strongPassword, displayName: 'A' } },
  { method: 'POST', url: '/users/verify-email', valid: { token } },
  { method: 'POST', url: '/users/verify-email/resend', valid: { email: 'a@example.org' } },
  { method: 'POST', url: '/users/login', valid: { email: 'a@example.org', password: strongPassword } },
  { method: 'POST', url: '/users/token/refresh', valid: { refreshToken: token } },
  { method: 'POST', url: '/users/logout', valid: { refreshToken: token } },
  { method: 'POST', url: '/users/password/forgot', valid: { email: 'a@example.org' } },
  { method: 'POST', url: '/users/password/reset', valid: { token, newPassword: strongPassword } },
  { method: 'POST', url: '/users/password/change', valid: { currentPassword: strongPassword, newPassword: 'another passphrase' }, auth: true },
  { method: 'PATCH', url: '/users/me', valid: { displayName: 'B' }, auth: true },
  { method: 'DELETE', url: '/users/me', valid: { password: strongPassword }, auth: true },
  { method: 'PATCH', url: '/users/00000000-0000-4000-8000-000000000000/role', valid: { role: 'user' }, auth: true },
];

function variants(valid: Record<string, unknown>): Array<[string, string]> {
  const [firstKey] = Object.keys(valid);
  const out: Array<[string, string]> = [
    ['unknown field', JSON.stringify({ ...valid, isAdmin: true })],
    ['missing field', JSON.stringify({ ...valid, [firstKey!]: undefined })],
    ['huge string', JSON.stringify({ ...valid, [firstKey!]: huge })],
    ['array body', JSON.stringify([valid])],
    ['null body', 'null'],
    ['string body', '"hello"'],
    ['invalid JSON', '{"email": '],
    ['empty body', ''],
  ];
  for (const key of Object.keys(valid)) {
    out.push([`${key} as number`, JSON.stringify({ ...valid, [key]: 42 })]);
    out.push([`${key} as object`, JSON.stringify({ ...valid, [key]: { $ne: null } })]);
  }
  return out;
}

describe('malformed request bodies', () => {
  for (const endpoint of endpoints) {
    it(`${endpoint.method} ${endpoint.url}: when the body is malformed in any way, then it answers 400 JSON, never 500`, async () => {
      for (const [what, payload] of variants(endpoint.valid)) {
        const response = await h.app.inject({
          method: endpoint.method,
          url: endpoint.url,
          payload,
          headers: { 'content-type': 'application/json', ...(endpoint.auth ? bearer(accessToken) : {}) },
        });
        expect(response.statusCode, `${what}: ${response.body}`).toBe(400);
        expect(response.headers['content-type']).toMatch(/^application\/json/);
        const body = response.json();
        expect(['VALIDATION_FAILED', 'INVALID_JSON'], what).toContain(body.code);
        expect(body.error).toEqual(expect.any(String));
      }
    });
  }

  it('when a validation fails, then the details say where', async () => {
    const response = await h.app.inject({ method: 'POST', url: '/users/login', payload: { email: 'nope', password: 5 } });

    expect(response.json()).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: expect.arrayContaining([expect.objectContaining({ path: expect.stringMatching(/email/) })]),
    });
  });

  it('when the body exceeds the size limit, then it answers 413 JSON', async () => {
    const response = await h.app.inject({
      method: 'POST',
      url: '/users/login',
      payload: JSON.stringify({ email: 'a@example.org', password: 'y'.repeat(200_000) }),
      headers: { 'content-type': 'application/json' },
    });

    expect(response.statusCode).toBe(413);
    expect(response.json().code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('when the body is not JSON at all, then it answers 415 JSON', async () => {
    const response = await h.app.inject({
      method: 'POST',
      url: '/users/login',
      payload: 'email=a@example.org',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });

    expect(response.statusCode).toBe(415);
    expect(response.json().code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('when the route does not exist, then it answers 404 JSON', async () => {
    const response = await h.app.inject({ method: 'GET', url: '/users/nope/nope' });

    expect(response.statusCode).toBe(404);
    expect(response.json().code).toBe('NOT_FOUND');
  });
});

describe('GET /users/openapi.json', () => {
  it('then it documents the endpoints from the same schemas that validate them', async () => {
    const response = await h.app.inject({ method: 'GET', url: '/users/openapi.json' });

    expect(response.statusCode).toBe(200);
    const paths = Object.keys(response.json().paths);
    expect(paths).toEqual(expect.arrayContaining(['/users/register', '/users/login', '/users/me', '/users/{id}/role']));
  });
});
