import { notFound, type FastifyPluginAsyncZod } from '@trendcast/service-kit';
import { z } from 'zod';
import { watchStatuses } from '../db/schema.js';
import { watchRequestSchema } from '../domain/watch-request.js';
import type { TrendsDeps } from '../use-cases/deps.js';
import { createWatch, deleteWatch, getWatch, listWatches, setWatchStatus } from '../use-cases/manage-watches.js';
import { cursorFrom, idOrNotFound, idParams, pageQueryShape } from './common.js';
import { watchView } from './views.js';

export interface WatchRoutesOptions {
  deps: TrendsDeps;
}

export const watchRoutes: FastifyPluginAsyncZod<WatchRoutesOptions> = async (app, { deps }) => {
  app.addHook('preHandler', app.authenticate);
  const nextRun = (watchId: string) => deps.queue.nextRunOf(watchId).catch(() => null);
  const params = { params: idParams };

  app.post('/watches', { schema: { body: watchRequestSchema(deps.settings.watchMinIntervalMs) } }, async (request, reply) => {
    const watch = await createWatch(deps, { userId: request.user.id, request: request.body });
    return reply.code(201).send(watchView(watch, await nextRun(watch.id)));
  });

  app.get(
    '/watches',
    { schema: { querystring: z.strictObject({ ...pageQueryShape, status: z.enum(watchStatuses).optional() }) } },
    async (request) => {
      const { limit, cursor, status } = request.query;
      const page = await listWatches(deps, { userId: request.user.id, status, limit, after: cursorFrom(cursor) });
      const scheduled = await deps.queue.scheduledWatchIds().catch(() => new Map<string, { next: number | null }>());
      return {
        items: page.items.map((watch) => {
          const next = scheduled.get(watch.id)?.next;
          return watchView(watch, next ? new Date(next) : null);
        }),
        nextCursor: page.nextCursor,
      };
    },
  );

  app.get('/watches/:id', { schema: params }, async (request) => {
    const watch = await getWatch(deps, { userId: request.user.id, watchId: idOrNotFound(request.params.id, 'watch') });
    if (!watch) throw notFound('No such watch');
    return watchView(watch, await nextRun(watch.id));
  });

  for (const [action, status] of [['pause', 'paused'], ['resume', 'active']] as const) {
    app.post(`/watches/:id/${action}`, { schema: params }, async (request) => {
      const watchId = idOrNotFound(request.params.id, 'watch');
      const watch = await setWatchStatus(deps, { userId: request.user.id, watchId, status });
      if (!watch) throw notFound('No such watch');
      return watchView(watch, await nextRun(watch.id));
    });
  }

  app.delete('/watches/:id', { schema: params }, async (request, reply) => {
    const deleted = await deleteWatch(deps, { userId: request.user.id, watchId: idOrNotFound(request.params.id, 'watch') });
    if (!deleted) throw notFound('No such watch');
    return reply.code(204).send();
  });
};
