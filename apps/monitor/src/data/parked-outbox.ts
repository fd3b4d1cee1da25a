import { z } from 'zod';
import type { OutboxService } from '../config.js';
import type { ParkedOutboxListing, ServiceRefusal } from '../domain/parked-outbox.js';

/** The service kit's admin routes for parked outbox rows (GET /internal/outbox/parked, POST …/replay). */
const listPath = '/internal/outbox/parked';
const replayPath = '/internal/outbox/parked/replay';

const listingSchema = z.object({
  count: z.number().int().min(0),
  rows: z.array(
    z.object({
      eventId: z.string().max(200),
      type: z.string().max(200),
      createdAt: z.string().max(100),
      parkedAt: z.string().max(100),
      attempts: z.number().int(),
      refusals: z.number().int(),
      lastError: z.string().nullable(),
      payload: z.unknown(),
    }),
  ),
});
const replayedSchema = z.object({ replayed: z.number().int().min(0) });

/** A service that answered, but not with what was asked: refused the token, or something else went wrong there. */
export class ServiceAnswerError extends Error {
  constructor(
    readonly refusal: ServiceRefusal,
    message: string,
  ) {
    super(message);
    this.name = 'ServiceAnswerError';
  }
}

/** Where the console reads and replays each SQL service's parked outbox rows: over HTTP, with the signed-in admin's token. */
export interface ParkedOutboxSource {
  services(): readonly OutboxService[];
  list(service: OutboxService, o: { accessToken: string; limit: number }): Promise<ParkedOutboxListing>;
  replay(service: OutboxService, o: { accessToken: string; eventIds?: readonly string[] }): Promise<number>;
}

export function parkedOutboxOverHttp(services: readonly OutboxService[], o: { timeoutMs: number }): ParkedOutboxSource {
  async function call(service: OutboxService, path: string, init: RequestInit & { accessToken: string }): Promise<unknown> {
    const { accessToken, ...rest } = init;
    const response = await fetch(new URL(path, service.url), {
      ...rest,
      redirect: 'error',
      signal: AbortSignal.timeout(o.timeoutMs),
      headers: { ...(rest.body ? { 'content-type': 'application/json' } : {}), accept: 'application/json', authorization: `Bearer ${accessToken}` },
    });
    if (response.status === 401) throw new ServiceAnswerError('token-refused', `${service.name} did not accept the access token (401)`);
    if (response.status === 403) throw new ServiceAnswerError('not-admin', `${service.name} refused: the token is not an admin's (403)`);
    if (response.status === 404) throw new ServiceAnswerError('no-outbox-routes', `${service.name} has no parked outbox routes (404)`);
    if (!response.ok) throw new ServiceAnswerError('failed', `${service.name} answered ${response.status}`);
    return response.json();
  }

  return {
    services: () => services,
    async list(service, { accessToken, limit }) {
      const body = await call(service, `${listPath}?limit=${limit}`, { method: 'GET', accessToken });
      const parsed = listingSchema.safeParse(body);
      if (!parsed.success) throw new ServiceAnswerError('failed', `${service.name} answered with something that is no list of parked rows`);
      return parsed.data;
    },
    async replay(service, { accessToken, eventIds }) {
      const body = await call(service, replayPath, { method: 'POST', accessToken, body: JSON.stringify(eventIds ? { eventIds } : {}) });
      const parsed = replayedSchema.safeParse(body);
      if (!parsed.success) throw new ServiceAnswerError('failed', `${service.name} answered a replay with something unexpected`);
      return parsed.data.replayed;
    },
  };
}
