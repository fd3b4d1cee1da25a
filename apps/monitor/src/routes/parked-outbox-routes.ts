import type { FastifyPluginAsyncZod } from '@trendcast/service-kit';
import { z } from 'zod';
import { serviceRefusals } from '../domain/parked-outbox.js';
import type { MonitorDeps } from '../use-cases/deps.js';
import { listParkedOutboxes, replayParkedOutbox } from '../use-cases/parked-outbox.js';
import { parkedOutboxPage, type OutboxReplayNotice } from '../views/parked-outbox-pages.js';
import { paths } from '../views/paths.js';
import { sendPage } from './pages.js';

const serviceName = z.string().min(1).max(100);
const serviceParams = z.object({ service: serviceName });
/** After a replay: which service, and how many rows or why none (a fixed word, never text shown as it came). */
const afterReplay = z.object({
  service: serviceName.optional().catch(undefined),
  replayed: z.coerce.number().int().min(0).optional().catch(undefined),
  failed: z.enum([...serviceRefusals, 'sign-in']).optional().catch(undefined),
});
const replayForm = z.strictObject({ eventId: z.uuid().optional() });

function noticeOf(query: z.output<typeof afterReplay>, known: readonly string[]): OutboxReplayNotice | undefined {
  if (query.service === undefined || !known.includes(query.service)) return undefined;
  if (query.failed !== undefined) return { service: query.service, failed: query.failed };
  if (query.replayed !== undefined) return { service: query.service, replayed: query.replayed };
  return undefined;
}

/** Parked outbox rows of every configured SQL service, asked of each service with the admin's token. Forms post back and land on the page (303). */
export const parkedOutboxRoutes: FastifyPluginAsyncZod<{ deps: MonitorDeps }> = async (app, { deps }) => {
  app.get('/outbox', { schema: { querystring: afterReplay } }, async (request, reply) => {
    const overview = await listParkedOutboxes(deps, { session: request.consoleSession!.session });
    return sendPage(reply, parkedOutboxPage({ overview, notice: noticeOf(request.query, overview.services) }));
  });

  app.post('/outbox/:service/replay', { schema: { params: serviceParams, body: replayForm.optional() } }, async (request, reply) => {
    const { service } = request.params;
    const outcome = await replayParkedOutbox(deps, { service, eventId: request.body?.eventId, session: request.consoleSession!.session });
    const query = new URLSearchParams({ service, ...('replayed' in outcome ? { replayed: String(outcome.replayed) } : { failed: outcome.refusal }) });
    return reply.header('cache-control', 'no-store').redirect(`${paths.outbox}?${query.toString()}#service-${encodeURIComponent(service)}`, 303);
  });
};
