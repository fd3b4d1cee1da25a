import { buildServiceApp, createLogger, createMetrics, localKeys, type ServiceApp } from '@trendcast/service-kit';
import { createTestTokenSigner, type TestTokenSigner } from '@trendcast/testing';
import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addToOutbox, outboxMessages, parkedOutbox } from '../src/index.js';
import { createServiceDatabase, type ServiceDatabase } from './support/database.js';
import { numberedEvent } from './support/events.js';

/** The service kit's admin routes on a real outbox: what the operators' console calls on each SQL service. */
let service: ServiceDatabase;
let signer: TestTokenSigner;
let app: ServiceApp;

beforeAll(async () => {
  service = await createServiceDatabase('outbox_admin');
  signer = await createTestTokenSigner();
  app = await buildServiceApp({
    service: 'outbox-admin-test',
    logger: createLogger({ service: 'outbox-admin-test', level: 'silent' }),
    metrics: createMetrics('outbox-admin-test', { defaultMetrics: false }),
    accessTokens: { keys: localKeys([signer.publicJwk]), issuer: 'trendcast-users', audience: 'trendcast' },
    outbox: parkedOutbox(service.db),
  });
});

afterAll(async () => {
  await app?.close();
  await service?.close();
});

async function park(eventId: string) {
  await service.db
    .update(outboxMessages)
    .set({ parkedAt: sql`now()`, refusals: 10, attempts: 12, lastError: 'the broker refused the message (basic.nack)' })
    .where(eq(outboxMessages.eventId, eventId));
}

describe('GET /internal/outbox/parked and POST …/replay on PostgreSQL', () => {
  const [first, second, flowing] = [numberedEvent(1), numberedEvent(2), numberedEvent(3)];

  beforeAll(async () => {
    await addToOutbox(service.db, [first, second, flowing]);
    await park(first.id);
    await park(second.id);
  });

  it('when a user who is no admin asks, then 403, and without a token 401', async () => {
    const asUser = await app.inject({ method: 'GET', url: '/internal/outbox/parked', headers: await signer.headersFor(randomUUID(), 'user') });
    const anonymous = await app.inject({ method: 'POST', url: '/internal/outbox/parked/replay', payload: {} });

    expect(asUser.statusCode).toBe(403);
    expect(anonymous.statusCode).toBe(401);
  });

  it('when an admin lists, then the parked rows come oldest first with why, and the row still flowing is not among them', async () => {
    const response = await app.inject({ method: 'GET', url: '/internal/outbox/parked?limit=1', headers: await signer.headersFor(randomUUID(), 'admin') });

    expect(response.statusCode).toBe(200);
    const body = response.json() as { count: number; rows: Array<Record<string, unknown>> };
    expect(body.count).toBe(2);
    expect(body.rows).toHaveLength(1);
    expect(body.rows[0]).toMatchObject({
      eventId: first.id,
      type: 'trends.search.failed',
      attempts: 12,
      refusals: 10,
      lastError: 'the broker refused the message (basic.nack)',
      payload: { id: first.id, type: 'trends.search.failed' },
    });
    expect(Date.parse(String(body.rows[0]!.parkedAt))).not.toBeNaN();
  });

  it('when an admin replays one row by event id, then only that row goes back to the relay', async () => {
    const headers = await signer.headersFor(randomUUID(), 'admin');
    const response = await app.inject({ method: 'POST', url: '/internal/outbox/parked/replay', headers, payload: { eventIds: [first.id] } });

    expect(response.json()).toEqual({ replayed: 1 });
    const [row] = await service.db.select().from(outboxMessages).where(eq(outboxMessages.eventId, first.id));
    expect(row).toMatchObject({ parkedAt: null, refusals: 0, nextAttemptAt: null });
    const listed = (await app.inject({ method: 'GET', url: '/internal/outbox/parked', headers })).json() as { count: number; rows: Array<{ eventId: string }> };
    expect(listed.count).toBe(1);
    expect(listed.rows.map((r) => r.eventId)).toEqual([second.id]);
  });

  it('when an admin replays all, then the rest go back and nothing stays parked', async () => {
    const headers = await signer.headersFor(randomUUID(), 'admin');
    const response = await app.inject({ method: 'POST', url: '/internal/outbox/parked/replay', headers });

    expect(response.json()).toEqual({ replayed: 1 });
    const listed = (await app.inject({ method: 'GET', url: '/internal/outbox/parked', headers })).json();
    expect(listed).toEqual({ count: 0, rows: [] });
  });
});
