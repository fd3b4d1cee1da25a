import { noContent, type FastifyPluginAsyncZod, pagePositionFrom, pageQueryShape } from '@trendcast/service-kit';
import { z } from 'zod';
import { searchStatuses } from '../db/schema.js';
import { searchRequestSchema, toSearchSpec } from '../domain/search-request.js';
import type { TrendsDeps } from '../use-cases/deps.js';
import { deleteSearch, getSearch, listSearches } from '../use-cases/manage-searches.js';
import { startSearch } from '../use-cases/start-search.js';
import { idOrNotFound, idParams, notFound } from './common.js';
import { searchAcceptedResponse, searchDetailResponse, searchPageResponse } from './responses.js';
import { searchDetailView, searchView } from './views.js';

export interface SearchRoutesOptions {
  deps: TrendsDeps;
  publicBaseUrl: string;
}

export const searchRoutes: FastifyPluginAsyncZod<SearchRoutesOptions> = async (app, { deps, publicBaseUrl }) => {
  app.addHook('preHandler', app.authenticate);

  app.post('/searches', { schema: { body: searchRequestSchema, response: { 202: searchAcceptedResponse } } }, async (request, reply) => {
    const body = request.body;
    const search = await startSearch(deps, {
      userId: request.user.id,
      spec: toSearchSpec(body, deps.now()),
      generate: body.generate ?? null,
      correlationId: request.correlationId,
    });
    if (!search) throw new Error('a search without trigger key was not created');
    const view = searchView(search, publicBaseUrl);
    return reply.code(202).header('location', view.statusUrl).send({ id: view.id, status: view.status, statusUrl: view.statusUrl });
  });

  app.get(
    '/searches',
    {
      schema: {
        querystring: z.strictObject({ ...pageQueryShape, status: z.enum(searchStatuses).optional() }),
        response: { 200: searchPageResponse },
      },
    },
    async (request) => {
      const { limit, cursor, status } = request.query;
      const page = await listSearches(deps, { userId: request.user.id, status, limit, after: pagePositionFrom(cursor) });
      return { items: page.items.map((search) => searchView(search, publicBaseUrl)), nextCursor: page.nextCursor };
    },
  );

  app.get('/searches/:id', { schema: { params: idParams, response: { 200: searchDetailResponse } } }, async (request) => {
    const found = await getSearch(deps, { userId: request.user.id, searchId: idOrNotFound(request.params.id, 'search') });
    if (!found) throw notFound('search');
    return searchDetailView(found.search, found.result, publicBaseUrl);
  });

  app.delete('/searches/:id', { schema: { params: idParams, response: { 204: noContent } } }, async (request, reply) => {
    const deleted = await deleteSearch(deps, { userId: request.user.id, searchId: idOrNotFound(request.params.id, 'search') });
    if (!deleted) throw notFound('search');
    return reply.code(204).send();
  });
};
