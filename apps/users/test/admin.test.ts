import { outboxMessages } from '@trendcast/outbox';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { users } from '../src/db/schema.js';
import { bootstrapAdmin } from '../src/use-cases/bootstrap-admin.js';
import {
  bearer,
  loginAs,
  outboxEventsOfType,
  register,
  signedInUser,
  startHarness,
  uniqueEmail,
  type Harness,
} from './support/service.js';

let h: Harness;
let adminToken: string;
const adminEmail = uniqueEmail('admin');
const adminPassword = 'the keeper of the keys';
const origin = { source: 'users', correlationId: 'startup' };

beforeAll(async () => {
  h = await startHarness();
  await bootstrapAdmin(h.deps, { email: adminEmail, password: adminPassword, displayName: 'Admin', origin });
  adminToken = (await loginAs(h, adminEmail, adminPassword)).accessToken;
});
afterAll(async () => h?.close());

describe('admin bootstrap', () => {
  it('when the configured admin does not exist, then it is created verified, as admin, and announced', async () => {
    const [admin] = await h.client.db.select().from(users).where(eq(users.email, adminEmail));

    expect(admin).toMatchObject({ role: 'admin', emailVerifiedAt: expect.any(Date) });
    const registered = (await outboxEventsOfType(h, 'users.user.registered')).filter((e) => e.data.email === adminEmail);
    expect(registered).toHaveLength(1);
  });

  it('when it runs again, then nothing changes', async () => {
    const outcome = await bootstrapAdmin(h.deps, { email: adminEmail, password: adminPassword, displayName: 'Admin', origin });

    expect(outcome).toBe('unchanged');
    expect((await outboxEventsOfType(h, 'users.user.registered')).filter((e) => e.data.email === adminEmail)).toHaveLength(1);
  });

  it('when the configured email belongs to an unverified user, then that user is promoted and verified', async () => {
    const { email } = await register(h);

    const outcome = await bootstrapAdmin(h.deps, { email, password: 'ignored for existing accounts', displayName: 'X', origin });

    expect(outcome).toBe('promoted');
    const [row] = await h.client.db.select().from(users).where(eq(users.email, email));
    expect(row).toMatchObject({ role: 'admin', emailVerifiedAt: expect.any(Date) });
    await h.client.db.update(users).set({ role: 'user' }).where(eq(users.email, email));
  });

  it('when the configured password is weak, then it refuses to create the admin', async () => {
    await expect(
      bootstrapAdmin(h.deps, { email: uniqueEmail('admin'), password: 'short', displayName: 'A', origin }),
    ).rejects.toThrow(/password policy/);
  });
});

describe('GET /users', () => {
  it('when an admin lists accounts, then pages follow the cursor until the end without repeats', async () => {
    for (let i = 0; i < 4; i += 1) await register(h);
    const total = (await h.client.db.select().from(users)).length;

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const url: string = `/users?limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const response = await h.app.inject({ method: 'GET', url, headers: bearer(adminToken) });
      expect(response.statusCode).toBe(200);
      const page = response.json() as { items: Array<{ id: string; role: string }>; nextCursor: string | null };
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((item) => item.id));
      cursor = page.nextCursor;
    } while (cursor);

    expect(seen).toHaveLength(total);
    expect(new Set(seen).size).toBe(total);
  });

  it('when a non-admin asks, then it answers 403', async () => {
    const { tokens } = await signedInUser(h);

    const response = await h.app.inject({ method: 'GET', url: '/users', headers: bearer(tokens.accessToken) });

    expect(response.statusCode).toBe(403);
    expect(response.json().code).toBe('FORBIDDEN');
  });

  it('when the cursor or limit is bad, then it answers 400', async () => {
    const badCursor = await h.app.inject({ method: 'GET', url: '/users?cursor=nonsense', headers: bearer(adminToken) });
    const badLimit = await h.app.inject({ method: 'GET', url: '/users?limit=1000', headers: bearer(adminToken) });

    expect(badCursor.statusCode).toBe(400);
    expect(badLimit.statusCode).toBe(400);
  });

  it('when an admin token outlives the admin role, then the stored role decides', async () => {
    const { email, tokens, user } = await signedInUser(h);
    await h.client.db.update(users).set({ role: 'admin' }).where(eq(users.id, user.id));
    const elevated = (await loginAs(h, email)).accessToken;
    await h.client.db.update(users).set({ role: 'user' }).where(eq(users.id, user.id));

    const response = await h.app.inject({ method: 'GET', url: '/users', headers: bearer(elevated) });

    expect(tokens.accessToken).not.toBe(elevated);
    expect(response.statusCode).toBe(403);
    expect(response.json().code).toBe('NOT_ADMIN');
  });
});

describe('PATCH /users/:id/role', () => {
  it('when an admin promotes a user, then the next refreshed token carries the new role', async () => {
    const { user, tokens } = await signedInUser(h);

    const response = await h.app.inject({
      method: 'PATCH',
      url: `/users/${user.id}/role`,
      headers: bearer(adminToken),
      payload: { role: 'admin' },
    });

    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ id: user.id, role: 'admin' });
    const refreshed = await h.app.inject({ method: 'POST', url: '/users/token/refresh', payload: { refreshToken: tokens.refreshToken } });
    const list = await h.app.inject({ method: 'GET', url: '/users', headers: bearer(refreshed.json().accessToken) });
    expect(list.statusCode).toBe(200);
    await h.app.inject({ method: 'PATCH', url: `/users/${user.id}/role`, headers: bearer(adminToken), payload: { role: 'user' } });
  });

  it('when a non-admin tries, then it answers 403 and nothing changes', async () => {
    const { user, tokens } = await signedInUser(h);

    const response = await h.app.inject({
      method: 'PATCH',
      url: `/users/${user.id}/role`,
      headers: bearer(tokens.accessToken),
      payload: { role: 'admin' },
    });

    expect(response.statusCode).toBe(403);
    const [row] = await h.client.db.select().from(users).where(eq(users.id, user.id));
    expect(row!.role).toBe('user');
  });

  it('when the user does not exist, then it answers 404 USER_NOT_FOUND', async () => {
    const response = await h.app.inject({
      method: 'PATCH',
      url: '/users/00000000-0000-4000-8000-000000000000/role',
      headers: bearer(adminToken),
      payload: { role: 'admin' },
    });

    expect(response.statusCode).toBe(404);
    expect(response.json().code).toBe('USER_NOT_FOUND');
  });

  it('when the last admin would be demoted, then it answers 409 LAST_ADMIN', async () => {
    const [admin] = await h.client.db.select().from(users).where(eq(users.email, adminEmail));

    const response = await h.app.inject({
      method: 'PATCH',
      url: `/users/${admin!.id}/role`,
      headers: bearer(adminToken),
      payload: { role: 'user' },
    });

    expect(response.statusCode).toBe(409);
    expect(response.json().code).toBe('LAST_ADMIN');
  });

  it('when the id or role is malformed, then it answers 400', async () => {
    const badId = await h.app.inject({ method: 'PATCH', url: '/users/not-a-uuid/role', headers: bearer(adminToken), payload: { role: 'admin' } });
    const badRole = await h.app.inject({
      method: 'PATCH',
      url: '/users/00000000-0000-4000-8000-000000000000/role',
      headers: bearer(adminToken),
      payload: { role: 'root' },
    });

    expect(badId.statusCode).toBe(400);
    expect(badRole.statusCode).toBe(400);
  });
});

describe('GET /internal/outbox/parked and POST /internal/outbox/parked/replay (for the operators\' console)', () => {
  it('when an admin lists and replays, then the parked row of the users database is shown and handed back; a user gets 403, no token 401', async () => {
    const [event] = await outboxEventsOfType(h, 'users.user.registered');
    await h.client.db.update(outboxMessages).set({ parkedAt: sql`now()`, refusals: 10, lastError: 'refused' }).where(eq(outboxMessages.eventId, event!.id));
    const { tokens } = await signedInUser(h);

    const listed = await h.app.inject({ method: 'GET', url: '/internal/outbox/parked', headers: bearer(adminToken) });
    const asUser = await h.app.inject({ method: 'GET', url: '/internal/outbox/parked', headers: bearer(tokens.accessToken) });
    const anonymous = await h.app.inject({ method: 'POST', url: '/internal/outbox/parked/replay', payload: {} });
    const replayed = await h.app.inject({ method: 'POST', url: '/internal/outbox/parked/replay', headers: bearer(adminToken), payload: { eventIds: [event!.id] } });

    expect(listed.statusCode).toBe(200);
    expect(listed.json().rows).toEqual(expect.arrayContaining([expect.objectContaining({ eventId: event!.id, type: 'users.user.registered', refusals: 10 })]));
    expect(asUser.statusCode).toBe(403);
    expect(anonymous.statusCode).toBe(401);
    expect(replayed.json()).toEqual({ replayed: 1 });
    const [row] = await h.client.db.select().from(outboxMessages).where(eq(outboxMessages.eventId, event!.id));
    expect(row!.parkedAt).toBeNull();
  });
});
