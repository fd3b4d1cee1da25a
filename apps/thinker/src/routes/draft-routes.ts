import { type FastifyPluginAsyncZod, pagePositionFrom, pageQueryShape } from '@trendcast/service-kit';
import { z } from 'zod';
import { draftStatuses } from '../db/schema.js';
import { approveBodySchema, draftEditSchema } from '../domain/api-requests.js';
import { sentimentLabels } from '../sentiment/sentiment-scorer.js';
import type { ThinkerDeps } from '../use-cases/deps.js';
import { approveDraft, editDraft, getDraft, listDrafts, rejectDraft } from '../use-cases/manage-drafts.js';
import { idOrNotFound, idParams } from './common.js';
import { draftPageResponse, draftResponse } from './responses.js';
import { draftView } from './views.js';

export const draftRoutes: FastifyPluginAsyncZod<{ deps: ThinkerDeps }> = async (app, { deps }) => {
  app.addHook('preHandler', app.authenticate);

  app.get(
    '/drafts',
    {
      schema: {
        querystring: z.strictObject({
          ...pageQueryShape,
          generationId: z.uuid().optional(),
          status: z.enum(draftStatuses).optional(),
          sentiment: z.enum(sentimentLabels).optional(),
        }),
        response: { 200: draftPageResponse },
      },
    },
    async (request) => {
      const { limit, cursor, generationId, status, sentiment } = request.query;
      const page = await listDrafts(deps, { userId: request.user.id, generationId, status, sentiment, limit, after: pagePositionFrom(cursor) });
      return { items: page.items.map(draftView), nextCursor: page.nextCursor };
    },
  );

  app.get('/drafts/:id', { schema: { params: idParams, response: { 200: draftResponse } } }, async (request) =>
    draftView(await getDraft(deps, { userId: request.user.id, draftId: idOrNotFound(request.params.id, 'draft') })),
  );

  app.patch('/drafts/:id', { schema: { params: idParams, body: draftEditSchema, response: { 200: draftResponse } } }, async (request) =>
    draftView(await editDraft(deps, { userId: request.user.id, draftId: idOrNotFound(request.params.id, 'draft'), text: request.body.text })),
  );

  app.post('/drafts/:id/approve', { schema: { params: idParams, body: approveBodySchema, response: { 200: draftResponse } } }, async (request) => {
    const { channelId, publishAt, override } = request.body;
    const draft = await approveDraft(deps, {
      userId: request.user.id,
      draftId: idOrNotFound(request.params.id, 'draft'),
      channelId,
      publishAt: publishAt === undefined ? undefined : new Date(publishAt),
      override,
      origin: request.eventOrigin(),
    });
    return draftView(draft);
  });

  app.post('/drafts/:id/reject', { schema: { params: idParams, response: { 200: draftResponse } } }, async (request) =>
    draftView(await rejectDraft(deps, { userId: request.user.id, draftId: idOrNotFound(request.params.id, 'draft') })),
  );
};
