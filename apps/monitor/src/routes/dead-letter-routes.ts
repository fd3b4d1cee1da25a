import type { FastifyPluginAsyncZod } from '@trendcast/service-kit';
import { z } from 'zod';
import type { MonitorDeps } from '../use-cases/deps.js';
import { inspectParkedQueue, listParkedQueues, replayParked } from '../use-cases/parked-messages.js';
import { parkedQueuePage, parkedQueuesPage } from '../views/dead-letter-pages.js';
import { paths } from '../views/paths.js';
import { sendPage } from './pages.js';

const queueParams = z.object({ queue: z.string().min(1).max(255) });
const afterReplay = z.object({ replayed: z.coerce.number().int().min(0).optional().catch(undefined) });
const replayForm = z.strictObject({ messageId: z.string().trim().min(1).max(255).optional() });

export const outboxNote =
  'Parked outbox rows (events a service’s outbox relay gave up publishing after the broker refused them again and again) stay in that service’s own database: each service shows its own to the console:';

/** Dead letters and parked events: a page per queue, inspect, replay one or all. Forms post back and land on a page (303). */
export const deadLetterRoutes: FastifyPluginAsyncZod<{ deps: MonitorDeps }> = async (app, { deps }) => {
  app.get('/dead-letters', { schema: { querystring: afterReplay } }, async (request, reply) =>
    sendPage(reply, parkedQueuesPage({ queues: await listParkedQueues(deps), replayed: request.query.replayed, outboxNote })),
  );

  app.get('/dead-letters/:queue', { schema: { params: queueParams, querystring: afterReplay } }, async (request, reply) => {
    const listing = await inspectParkedQueue(deps, { queue: request.params.queue });
    return sendPage(reply, parkedQueuePage({ listing, replayed: request.query.replayed }));
  });

  app.post('/dead-letters/:queue/replay', { schema: { params: queueParams, body: replayForm.optional() } }, async (request, reply) => {
    const { queue } = request.params;
    const replayed = await replayParked(deps, { queue, messageId: request.body?.messageId, userId: request.consoleSession!.session.userId });
    return reply.header('cache-control', 'no-store').redirect(`${paths.deadLetterQueue(queue)}?replayed=${replayed}`, 303);
  });
};
