import { noContent, type FastifyPluginAsyncZod, pagePositionFrom, pageQueryShape } from '@trendcast/service-kit';
import { z } from 'zod';
import { watchStatuses } from '../db/schema.js';
import { watchRequestSchema } from '../domain/watch-request.js';
import type { TrendsDeps } from '../use-cases/deps.js';
import { createWatch, deleteWatch, getWatch, listWatches, setWatchStatus } from '../use-cases/manage-watches.js';
import { idOrNotFound, idParams, notFound } from './common.js';
import { watchPageResponse, watchResponse } from './responses.js';
import { watchView } from './views.js';

export interface WatchRoutesOptions {
  deps: TrendsDeps;
}

export const watchRoutes: FastifyPluginAsyncZod<WatchRoutesOptions> = async (app, { deps }) => {
  app.addHook('preHandler', app.authenticate);
  const params = { params: idParams };

  app.post('/watches', { schema: { body: watchRequestSchema(deps.settings.watchMinIntervalMs), response: { 201: watchResponse } } }, async (request, reply) => {
    const created = await createWatch(deps, { userId: request.user.id, request: request.body });
    return reply.code(201).send(watchView(created.watch, created.nextRunAt));
  });

  app.get(
    '/watches',
    {
      schema: {
        querystring: z.strictObject({ ...pageQueryShape, status: z.enum(watchStatuses).optional() }),
        response: { 200: watchPageResponse },
      },
    },
    async (request) => {
      const { limit, cursor, status } = request.query;
      const page = await listWatches(deps, { userId: request.user.id, status, limit, after: pagePositionFrom(cursor) });
      return { items: page.items.map((item) => watchView(item.watch, item.nextRunAt)), nextCursor: page.nextCursor };
    },
  );

  app.get('/watches/:id', { schema: { ...params, response: { 200: watchResponse } } }, async (request) => {
    const found = await getWatch(deps, { userId: request.user.id, watchId: idOrNotFound(request.params.id, 'watch') });
    if (!found) throw notFound('watch');
    return watchView(found.watch, found.nextRunAt);
  });

  for (const [action, status] of [['pause', 'paused'], ['resume', 'active']] as const) {
    app.post(`/watches/:id/${action}`, { schema: { ...params, response: { 200: watchResponse } } }, async (request) => {
      const watchId = idOrNotFound(request.params.id, 'watch');
      const changed = await setWatchStatus(deps, { userId: request.user.id, watchId, status });
      if (!changed) throw notFound('watch');
      return watchView(changed.watch, changed.nextRunAt);
    });
  }

  app.delete('/watches/:id', { schema: { ...params, response: { 204: noContent } } }, async (request, reply) => {
    const deleted = await deleteWatch(deps, { userId: request.user.id, watchId: idOrNotFound(request.params.id, 'watch') });
    if (!deleted) throw notFound('watch');
    return reply.code(204).send();
  });
};
