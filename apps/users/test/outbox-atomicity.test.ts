import { addToOutbox } from '@trendcast/outbox';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { oneTimeTokens, refreshTokens, users } from '../src/db/schema.js';
import { bootstrapAdmin } from '../src/use-cases/bootstrap-admin.js';
import type { RecordEvents } from '../src/use-cases/deps.js';
import {
  bearer,
  latestLinkToken,
  outboxRows,
  register,
  signedInUser,
  startHarness,
  strongPassword,
  uniqueEmail,
  type Harness,
} from './support/service.js';

/**
 * Every state change writes its events in the same transaction. To prove it, the event writer
 * really writes, then throws: the transaction must leave neither the state change nor the events.
 */
let failAfterWriting = false;
const recordEvents: RecordEvents = async (tx, events) => {
  await addToOutbox(tx, events);
  if (failAfterWriting) throw new Error('injected failure after the state change and the outbox write');
};

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ recordEvents, env: { EMAIL_COOLDOWN_SECONDS: '0' } });
});
afterAll(async () => h?.close());

/** Runs `act` once failing and once succeeding; returns the outbox types each run added. */
async function failThenSucceed(act: () => Promise<{ statusCode: number }>, expectSuccess: number) {
  const start = (await outboxRows(h)).length;
  failAfterWriting = true;
  let failed;
  try {
    failed = await act();
  } finally {
    failAfterWriting = false;
  }
  expect(failed.statusCode).toBe(500);
  const afterFailure = (await outboxRows(h)).slice(start);
  return {
    afterFailure,
    succeed: async () => {
      const response = await act();
      expect(response.statusCode).toBe(expectSuccess);
      return (await outboxRows(h)).slice(start).map((row) => row.type);
    },
  };
}

/**
 * For requests the email-link worker answers: the request itself only queues (202); the worker's
 * transaction fails once (nothing of it may survive, the request waits for a retry), then succeeds.
 */
async function failInWorkerThenSucceed(act: () => Promise<{ statusCode: number }>) {
  const start = (await outboxRows(h)).length;
  expect((await act()).statusCode).toBe(202);
  failAfterWriting = true;
  try {
    await h.emailLinks.drain();
  } finally {
    failAfterWriting = false;
  }
  const afterFailure = (await outboxRows(h)).slice(start);
  const [waiting] = await h.client.sql<{ attempts: number }[]>`select attempts from email_link_requests`;
  return {
    afterFailure,
    waiting,
    succeed: async () => {
      await h.client.sql`update email_link_requests set available_at = now()`;
      await h.emailLinks.drain();
      return (await outboxRows(h)).slice(start).map((row) => row.type);
    },
  };
}

const post = (url: string, payload: object, token?: string) =>
  h.app.inject({ method: 'POST', url, payload, ...(token ? { headers: bearer(token) } : {}) });

describe('one transaction for the state change and its events', () => {
  it('register: neither the account nor its two events survive a failure; success writes exactly those two', async () => {
    const email = uniqueEmail('atomic');
    const act = () => post('/users/register', { email, password: strongPassword, displayName: 'A' });

    const run = await failThenSucceed(act, 201);

    expect(run.afterFailure).toEqual([]);
    expect(await h.client.db.select().from(users).where(eq(users.email, email))).toEqual([]);
    expect(await run.succeed()).toEqual(['users.user.registered', 'users.email_verification.requested']);
  });

  it('resend verification: no new link and no event survive a failure; success writes exactly one', async () => {
    const { email, user } = await register(h);
    const tokensBefore = await h.client.db.select().from(oneTimeTokens).where(eq(oneTimeTokens.userId, user.id));

    const run = await failInWorkerThenSucceed(() => post('/users/verify-email/resend', { email }));

    expect(run.afterFailure).toEqual([]);
    expect(run.waiting).toEqual({ attempts: 1 });
    expect(await h.client.db.select().from(oneTimeTokens).where(eq(oneTimeTokens.userId, user.id))).toEqual(tokensBefore);
    expect(await run.succeed()).toEqual(['users.email_verification.requested']);
  });

  it('forgot password: no reset link and no event survive a failure; success writes exactly one', async () => {
    const { email, user } = await signedInUser(h);

    const run = await failInWorkerThenSucceed(() => post('/users/password/forgot', { email }));

    expect(run.afterFailure).toEqual([]);
    expect(run.waiting).toEqual({ attempts: 1 });
    const resets = await h.client.db.select().from(oneTimeTokens).where(eq(oneTimeTokens.userId, user.id));
    expect(resets.filter((t) => t.purpose === 'reset_password')).toEqual([]);
    expect(await run.succeed()).toEqual(['users.password_reset.requested']);
  });

  it('reset password: password, token and sessions are untouched by a failure; success writes exactly one', async () => {
    const { email, user } = await signedInUser(h);
    await post('/users/password/forgot', { email });
    const token = await latestLinkToken(h, 'users.password_reset.requested', email);
    const [before] = await h.client.db.select().from(users).where(eq(users.id, user.id));

    const run = await failThenSucceed(() => post('/users/password/reset', { token, newPassword: 'a brand new passphrase' }), 204);

    expect(run.afterFailure).toEqual([]);
    const [after] = await h.client.db.select().from(users).where(eq(users.id, user.id));
    expect(after!.passwordHash).toBe(before!.passwordHash);
    const sessions = await h.client.db.select().from(refreshTokens).where(eq(refreshTokens.userId, user.id));
    expect(sessions.length).toBeGreaterThan(0);
    expect(sessions.every((s) => s.revokedAt === null)).toBe(true);
    expect(await run.succeed()).toEqual(['users.password.changed']);
  });

  it('change password: nothing survives a failure; success writes exactly one', async () => {
    const { user, tokens } = await signedInUser(h);
    const [before] = await h.client.db.select().from(users).where(eq(users.id, user.id));

    const run = await failThenSucceed(
      () => post('/users/password/change', { currentPassword: strongPassword, newPassword: 'a brand new passphrase' }, tokens.accessToken),
      204,
    );

    expect(run.afterFailure).toEqual([]);
    const [after] = await h.client.db.select().from(users).where(eq(users.id, user.id));
    expect(after!.passwordHash).toBe(before!.passwordHash);
    expect(await run.succeed()).toEqual(['users.password.changed']);
  });

  it('update profile: nothing survives a failure; success writes exactly one', async () => {
    const { user, tokens } = await signedInUser(h);
    const act = () =>
      h.app.inject({ method: 'PATCH', url: '/users/me', headers: bearer(tokens.accessToken), payload: { displayName: 'Renamed' } });

    const run = await failThenSucceed(act, 200);

    expect(run.afterFailure).toEqual([]);
    const [after] = await h.client.db.select().from(users).where(eq(users.id, user.id));
    expect(after!.displayName).toBe('Ann Example');
    expect(await run.succeed()).toEqual(['users.user.updated']);
  });

  it('delete account: the account survives a failure; success writes exactly one', async () => {
    const { user, tokens } = await signedInUser(h);
    const act = () =>
      h.app.inject({ method: 'DELETE', url: '/users/me', headers: bearer(tokens.accessToken), payload: { password: strongPassword } });

    const run = await failThenSucceed(act, 204);

    expect(run.afterFailure).toEqual([]);
    expect(await h.client.db.select().from(users).where(eq(users.id, user.id))).toHaveLength(1);
    expect(await run.succeed()).toEqual(['users.user.deleted']);
  });

  it('admin bootstrap: neither the admin nor its event survive a failure', async () => {
    const email = uniqueEmail('boot');
    const start = (await outboxRows(h)).length;
    failAfterWriting = true;
    try {
      await expect(
        bootstrapAdmin(h.deps, { email, password: 'the admin passphrase', displayName: 'A', origin: { source: 'users', correlationId: 'c' } }),
      ).rejects.toThrow(/injected/);
    } finally {
      failAfterWriting = false;
    }

    expect((await outboxRows(h)).slice(start)).toEqual([]);
    expect(await h.client.db.select().from(users).where(eq(users.email, email))).toEqual([]);
  });

  it('a failed transaction answers a bare 500 without internals', async () => {
    failAfterWriting = true;
    try {
      const response = await post('/users/register', { email: uniqueEmail('x'), password: strongPassword, displayName: 'A' });
      expect(response.json()).toEqual({ error: 'Internal error', code: 'INTERNAL' });
    } finally {
      failAfterWriting = false;
    }
  });
});
