import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireRole } from './auth/authenticate.js';

/** An outbox row the relay parked after its event was refused too often (@trendcast/outbox's ParkedRow). */
export interface ParkedOutboxRow {
  eventId: string;
  type: string;
  createdAt: Date;
  parkedAt: Date;
  attempts: number;
  refusals: number;
  lastError: string | null;
  /** The whole event envelope. */
  payload: unknown;
}

/**
 * A SQL service's parked outbox rows, read and replayed in its own database: `parkedOutbox(db)` from
 * @trendcast/outbox. The kit only needs these two calls, so it does not depend on the outbox package.
 */
export interface ParkedOutbox {
  list(options: { limit: number }): Promise<{ count: number; rows: ParkedOutboxRow[] }>;
  replay(options: { eventIds?: readonly string[] }): Promise<number>;
}

/** Where the admin routes live: outside `/<service>/`, so the gateway (which maps /api/<service>/ only) never exposes them. */
export const parkedOutboxPath = '/internal/outbox/parked';

const listQuery = z.object({ limit: z.coerce.number().int().min(1).max(1000).default(100) });
const replayBody = z.strictObject({ eventIds: z.array(z.uuid()).min(1).max(1000).optional() });

const listReply = z.object({
  count: z.number().int(),
  rows: z.array(
    z.object({
      eventId: z.string(),
      type: z.string(),
      createdAt: z.string(),
      parkedAt: z.string(),
      attempts: z.number().int(),
      refusals: z.number().int(),
      lastError: z.string().nullable(),
      payload: z.unknown(),
    }),
  ),
});

/**
 * `GET /internal/outbox/parked?limit=` and `POST /internal/outbox/parked/replay {eventIds?}`, for an
 * admin's access token only: the operators' console asks each SQL service for its parked rows, since
 * nothing reads another service's database. Registered by buildServiceApp when given `outbox`.
 */
export const parkedOutboxPlugin: FastifyPluginAsyncZod<{ outbox: ParkedOutbox }> = async (app, { outbox }) => {
  const adminOnly = requireRole('admin');

  app.get(parkedOutboxPath, { preHandler: adminOnly, schema: { hide: true, querystring: listQuery, response: { 200: listReply } } }, async (request) => {
    const { count, rows } = await outbox.list({ limit: request.query.limit });
    return {
      count,
      rows: rows.map((row) => ({
        eventId: row.eventId,
        type: row.type,
        createdAt: row.createdAt.toISOString(),
        parkedAt: row.parkedAt.toISOString(),
        attempts: row.attempts,
        refusals: row.refusals,
        lastError: row.lastError,
        payload: row.payload,
      })),
    };
  });

  app.post(
    `${parkedOutboxPath}/replay`,
    { preHandler: adminOnly, schema: { hide: true, body: replayBody.nullish(), response: { 200: z.object({ replayed: z.number().int() }) } } },
    async (request) => {
      const eventIds = request.body?.eventIds;
      const replayed = await outbox.replay(eventIds === undefined ? {} : { eventIds });
      request.log.info({ eventIds: eventIds ?? 'all', replayed, userId: request.user.id }, 'parked outbox rows replayed');
      return { replayed };
    },
  );
};
