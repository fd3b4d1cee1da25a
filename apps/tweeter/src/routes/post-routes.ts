import { safeText, type FastifyPluginAsyncZod, pagePositionFrom, pageQueryShape } from '@trendcast/service-kit';
import { z } from 'zod';
import { postStatuses } from '../domain/post-state.js';
import type { TweeterDeps } from '../use-cases/deps.js';
import { cancelPost, createPost, getPost, listPosts, updatePost } from '../use-cases/manage-posts.js';
import { idOrNotFound, idParams, notFound } from './common.js';
import { postPageResponse, postResponse } from './responses.js';
import { postView } from './views.js';

export interface PostRoutesOptions {
  deps: TweeterDeps;
}

const text = safeText({ lineBreaks: true }).min(1).max(5000);
const when = z.iso.datetime({ offset: true }).transform((value) => new Date(value));

export const postRoutes: FastifyPluginAsyncZod<PostRoutesOptions> = async (app, { deps }) => {
  app.addHook('preHandler', app.authenticate);
  const params = { params: idParams };

  app.post(
    '/posts',
    { schema: { body: z.strictObject({ text, channelId: z.uuid(), publishAt: when.optional() }), response: { 201: postResponse } } },
    async (request, reply) => {
      const post = await createPost(deps, {
        userId: request.user.id,
        channelId: request.body.channelId,
        text: request.body.text,
        publishAt: request.body.publishAt,
        correlationId: request.correlationId,
      });
      return reply.code(201).send(postView(post));
    },
  );

  app.get(
    '/posts',
    {
      schema: {
        querystring: z.strictObject({ ...pageQueryShape, status: z.enum(postStatuses).optional(), channelId: z.uuid().optional() }),
        response: { 200: postPageResponse },
      },
    },
    async (request) => {
      const { limit, cursor, status, channelId } = request.query;
      const page = await listPosts(deps, { userId: request.user.id, status, channelId, limit, after: pagePositionFrom(cursor) });
      return { items: page.items.map((post) => postView(post)), nextCursor: page.nextCursor };
    },
  );

  app.get('/posts/:id', { schema: { ...params, response: { 200: postResponse } } }, async (request) => {
    const found = await getPost(deps, { userId: request.user.id, postId: idOrNotFound(request.params.id, 'post') });
    if (!found) throw notFound('post');
    return postView(found.post, found.attempts);
  });

  app.patch(
    '/posts/:id',
    {
      schema: {
        ...params,
        body: z.strictObject({ text: text.optional(), publishAt: when.optional() }).refine((b) => b.text !== undefined || b.publishAt !== undefined, 'give text or publishAt'),
        response: { 200: postResponse },
      },
    },
    async (request) => {
      const post = await updatePost(deps, { userId: request.user.id, postId: idOrNotFound(request.params.id, 'post'), ...request.body });
      if (!post) throw notFound('post');
      return postView(post);
    },
  );

  app.delete('/posts/:id', { schema: { ...params, response: { 200: postResponse } } }, async (request) => {
    const post = await cancelPost(deps, { userId: request.user.id, postId: idOrNotFound(request.params.id, 'post') });
    if (!post) throw notFound('post');
    return postView(post);
  });
};
