import { type FastifyPluginAsyncZod, pagePositionFrom, pageQueryShape } from '@trendcast/service-kit';
import { z } from 'zod';
import { generationStatuses } from '../db/schema.js';
import { generationRequestBodySchema } from '../domain/api-requests.js';
import { thinkerError } from '../domain/errors.js';
import type { ThinkerDeps } from '../use-cases/deps.js';
import { getGeneration, listGenerations } from '../use-cases/manage-generations.js';
import { startGeneration } from '../use-cases/start-generation.js';
import { idOrNotFound, idParams } from './common.js';
import { generationAcceptedResponse, generationDetailResponse, generationPageResponse } from './responses.js';
import { draftView, generationView } from './views.js';

export interface GenerationRoutesOptions {
  deps: ThinkerDeps;
  publicBaseUrl: string;
}

export const generationRoutes: FastifyPluginAsyncZod<GenerationRoutesOptions> = async (app, { deps, publicBaseUrl }) => {
  app.addHook('preHandler', app.authenticate);

  app.post('/generations', { schema: { body: generationRequestBodySchema, response: { 202: generationAcceptedResponse } } }, async (request, reply) => {
    const generation = await startGeneration(deps, { userId: request.user.id, ...request.body, correlationId: request.correlationId });
    const view = generationView(generation, publicBaseUrl);
    return reply.code(202).header('location', view.statusUrl).send({ id: view.id, status: view.status, statusUrl: view.statusUrl });
  });

  app.get(
    '/generations',
    {
      schema: {
        querystring: z.strictObject({ ...pageQueryShape, status: z.enum(generationStatuses).optional() }),
        response: { 200: generationPageResponse },
      },
    },
    async (request) => {
      const { limit, cursor, status } = request.query;
      const page = await listGenerations(deps, { userId: request.user.id, status, limit, after: pagePositionFrom(cursor) });
      return { items: page.items.map((generation) => generationView(generation, publicBaseUrl)), nextCursor: page.nextCursor };
    },
  );

  app.get('/generations/:id', { schema: { params: idParams, response: { 200: generationDetailResponse } } }, async (request) => {
    const found = await getGeneration(deps, { userId: request.user.id, generationId: idOrNotFound(request.params.id, 'generation') });
    if (!found) throw thinkerError('NOT_FOUND', { message: 'No such generation' });
    return { ...generationView(found.generation, publicBaseUrl), drafts: found.drafts.map(draftView) };
  });
};
