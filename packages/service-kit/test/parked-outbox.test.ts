import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServiceApp, createLogger, createMetrics, localKeys, type ParkedOutbox, type ParkedOutboxRow } from '../src/index.js';
import { buildTestApp } from './support/test-app.js';
import { audience, createSigningKey, issuer, signToken, type SigningKey } from './support/tokens.js';

/** The kit's side only: what the routes let through and how they answer. On PostgreSQL: packages/outbox/test/parked-rows-admin.test.ts. */
function fakeOutbox(rows: ParkedOutboxRow[]): ParkedOutbox & { replays: Array<readonly string[] | undefined>; limits: number[] } {
  const replays: Array<readonly string[] | undefined> = [];
  const limits: number[] = [];
  return {
    replays,
    limits,
    async list({ limit }) {
      limits.push(limit);
      return { count: rows.length, rows: rows.slice(0, limit) };
    },
    async replay({ eventIds }) {
      replays.push(eventIds);
      return eventIds ? eventIds.length : rows.length;
    },
  };
}

describe('parked outbox admin routes', () => {
  let key: SigningKey;
  let t: Awaited<ReturnType<typeof buildTestApp>>;
  const row: ParkedOutboxRow = {
    eventId: randomUUID(),
    type: 'trends.search.failed',
    createdAt: new Date('2026-01-01T10:00:00Z'),
    parkedAt: new Date('2026-01-01T10:05:00Z'),
    attempts: 12,
    refusals: 10,
    lastError: 'the broker refused the message (basic.nack)',
    payload: { id: 'x', data: { reason: '<b>no</b>' } },
  };
  const outbox = fakeOutbox([row]);

  beforeAll(async () => {
    key = await createSigningKey('key-1');
    t = await buildTestApp({ accessTokens: { keys: localKeys([key.publicJwk]), issuer, audience }, outbox });
    await t.app.ready();
  });

  afterAll(async () => {
    await t.app.close();
  });

  const bearer = async (role: string) => ({ authorization: `Bearer ${await signToken(key, { role })}` });

  it('when no token is sent, then 401 and nothing is read', async () => {
    const list = await t.app.inject({ method: 'GET', url: '/internal/outbox/parked' });
    const replay = await t.app.inject({ method: 'POST', url: '/internal/outbox/parked/replay', payload: {} });

    expect(list.statusCode).toBe(401);
    expect(list.json()).toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(replay.statusCode).toBe(401);
    expect(outbox.limits).toEqual([]);
    expect(outbox.replays).toEqual([]);
  });

  it('when a user who is no admin calls, then 403 and nothing is read or replayed', async () => {
    const headers = await bearer('user');
    const list = await t.app.inject({ method: 'GET', url: '/internal/outbox/parked', headers });
    const replay = await t.app.inject({ method: 'POST', url: '/internal/outbox/parked/replay', headers, payload: {} });

    expect(list.statusCode).toBe(403);
    expect(list.json()).toMatchObject({ code: 'FORBIDDEN' });
    expect(replay.statusCode).toBe(403);
    expect(outbox.limits).toEqual([]);
    expect(outbox.replays).toEqual([]);
  });

  it('when an admin lists, then the count and the rows with ISO dates and the payload as it is', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/internal/outbox/parked?limit=5', headers: await bearer('admin') });

    expect(response.statusCode).toBe(200);
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.json()).toEqual({
      count: 1,
      rows: [{ ...row, createdAt: '2026-01-01T10:00:00.000Z', parkedAt: '2026-01-01T10:05:00.000Z' }],
    });
    expect(outbox.limits).toEqual([5]);
  });

  it('when the limit or the event ids are not valid, then 400, never 500', async () => {
    const headers = await bearer('admin');
    for (const limit of ['0', '1001', 'abc']) {
      const response = await t.app.inject({ method: 'GET', url: `/internal/outbox/parked?limit=${limit}`, headers });
      expect(response.statusCode, limit).toBe(400);
    }
    for (const payload of [{ eventIds: ['not-a-uuid'] }, { eventIds: [] }, { eventIds: 'x' }, { other: 1 }]) {
      const response = await t.app.inject({ method: 'POST', url: '/internal/outbox/parked/replay', headers, payload });
      expect(response.statusCode, JSON.stringify(payload)).toBe(400);
    }
    expect(outbox.replays).toEqual([]);
  });

  it('when an admin replays some or all, then the outbox is asked for those ids (or all) and the count comes back', async () => {
    const headers = await bearer('admin');
    const one = await t.app.inject({ method: 'POST', url: '/internal/outbox/parked/replay', headers, payload: { eventIds: [row.eventId] } });
    const all = await t.app.inject({ method: 'POST', url: '/internal/outbox/parked/replay', headers });

    expect(one.json()).toEqual({ replayed: 1 });
    expect(all.json()).toEqual({ replayed: 1 });
    expect(outbox.replays).toEqual([[row.eventId], undefined]);
  });

  it('when the service serves an OpenAPI document, then the internal routes are not in it', async () => {
    const documented = await buildTestApp({
      accessTokens: { keys: localKeys([key.publicJwk]), issuer, audience },
      outbox: fakeOutbox([]),
      openapi: { title: 'test', version: '1' },
    });
    try {
      const response = await documented.app.inject({ method: 'GET', url: '/testsvc/openapi.json' });
      expect(response.statusCode).toBe(200);
      expect(response.body).not.toContain('/internal/outbox');
    } finally {
      await documented.app.close();
    }
  });

  it('when a service passes outbox without accessTokens, then building the app fails (the routes would be open)', async () => {
    await expect(
      buildServiceApp({
        service: 'testsvc',
        logger: createLogger({ service: 'testsvc', level: 'silent' }),
        metrics: createMetrics('testsvc', { defaultMetrics: false }),
        outbox: fakeOutbox([]),
      }),
    ).rejects.toThrow(/need accessTokens/);
  });
});
