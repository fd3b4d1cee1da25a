import { noContent, safeText, type FastifyPluginAsyncZod } from '@trendcast/service-kit';
import { z } from 'zod';
import type { TweeterDeps } from '../use-cases/deps.js';
import { completeMastodonAuthorization, startMastodonAuthorization } from '../use-cases/connect-mastodon.js';
import { createMastodonChannel, createTimelineChannel, deleteChannel, listChannels, testChannel } from '../use-cases/manage-channels.js';
import { idOrNotFound, idParams, notFound } from './common.js';
import { authorizeResponse, channelListResponse, channelResponse, channelTestResponse } from './responses.js';
import { channelView } from './views.js';

export interface ChannelRoutesOptions {
  deps: TweeterDeps;
}

const name = safeText().trim().min(1).max(100);
const instanceUrl = safeText().trim().min(1).max(300);

const createChannelBody = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('timeline'), name, handle: safeText().trim().min(1).max(40) }),
  z.strictObject({
    kind: z.literal('mastodon'),
    name,
    credentials: z.strictObject({ instanceUrl, accessToken: safeText().trim().min(1).max(500) }),
  }),
]);

/** The cookie that binds an OAuth flow to the browser that started it (see security/oauth-state.ts). */
export const oauthCookieName = 'tweeter_oauth';
const callbackPath = '/api/tweeter/channels/mastodon';

function cookieOf(header: string | undefined, cookie: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === cookie) return decodeURIComponent(value.join('='));
  }
  return undefined;
}

export const channelRoutes: FastifyPluginAsyncZod<ChannelRoutesOptions> = async (app, { deps }) => {
  const publicBase = new URL(deps.settings.publicBaseUrl);
  const secureCookie = publicBase.protocol === 'https:';

  // The OAuth callback is a browser redirect from the instance: no bearer token, the state and the cookie say who.
  app.get(
    '/channels/mastodon/callback',
    {
      schema: {
        querystring: z.object({
          code: safeText().max(2000).optional(),
          state: safeText().max(4000),
          error: safeText().max(200).optional(),
        }),
      },
    },
    async (request, reply) => {
      const outcome = await completeMastodonAuthorization(deps, {
        code: request.query.code,
        state: request.query.state,
        error: request.query.error,
        browserBinding: cookieOf(request.headers.cookie, oauthCookieName),
      });
      const back = new URL('/channels', publicBase);
      if (outcome.ok) back.searchParams.set('connected', outcome.channel.id);
      else back.searchParams.set('error', outcome.code);
      return reply
        .header('set-cookie', `${oauthCookieName}=; Path=${callbackPath}; HttpOnly; SameSite=Lax; Max-Age=0${secureCookie ? '; Secure' : ''}`)
        .header('cache-control', 'no-store')
        .redirect(back.toString(), 303);
    },
  );

  app.register(async (authed) => {
    authed.addHook('preHandler', authed.authenticate);
    const withTypes = authed.withTypeProvider<import('@trendcast/service-kit').ZodTypeProvider>();

    withTypes.get('/channels', { schema: { response: { 200: channelListResponse } } }, async (request) => {
      const items = await listChannels(deps, { userId: request.user.id });
      return { items: items.map(channelView) };
    });

    withTypes.post('/channels', { schema: { body: createChannelBody, response: { 201: channelResponse } } }, async (request, reply) => {
      const body = request.body;
      const channel =
        body.kind === 'timeline'
          ? await createTimelineChannel(deps, { userId: request.user.id, name: body.name, handle: body.handle })
          : await createMastodonChannel(deps, { userId: request.user.id, name: body.name, instanceUrl: body.credentials.instanceUrl, accessToken: body.credentials.accessToken });
      return reply.code(201).send(channelView(channel));
    });

    withTypes.post(
      '/channels/mastodon/authorize',
      { schema: { body: z.strictObject({ instanceUrl, name }), response: { 200: authorizeResponse } } },
      async (request, reply) => {
        const started = await startMastodonAuthorization(deps, { userId: request.user.id, instanceUrl: request.body.instanceUrl, name: request.body.name });
        const maxAge = Math.max(1, Math.round((started.expiresAt.getTime() - Date.now()) / 1000));
        return reply
          .header('set-cookie', `${oauthCookieName}=${encodeURIComponent(started.browserBinding)}; Path=${callbackPath}; HttpOnly; SameSite=Lax; Max-Age=${maxAge}${secureCookie ? '; Secure' : ''}`)
          .send({ authorizeUrl: started.authorizeUrl });
      },
    );

    withTypes.post('/channels/:id/test', { schema: { params: idParams, response: { 200: channelTestResponse } } }, async (request) => {
      const result = await testChannel(deps, { userId: request.user.id, channelId: idOrNotFound(request.params.id, 'channel') });
      if (!result) throw notFound('channel');
      return { ok: result.ok, accountName: result.accountName ?? null, error: result.error ?? null };
    });

    withTypes.delete('/channels/:id', { schema: { params: idParams, response: { 204: noContent } } }, async (request, reply) => {
      const deleted = await deleteChannel(deps, { userId: request.user.id, channelId: idOrNotFound(request.params.id, 'channel') });
      if (!deleted) throw notFound('channel');
      return reply.code(204).send();
    });
  });
};
