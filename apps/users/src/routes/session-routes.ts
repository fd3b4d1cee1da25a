import { noContent, type FastifyPluginAsyncZod } from '@trendcast/service-kit';
import { originOf } from './request.js';
import { sessionTokensResponse } from './responses.js';
import { loginBody, refreshTokenBody } from './schemas.js';
import type { UsersDeps } from '../use-cases/deps.js';
import { login } from '../use-cases/login.js';
import { logout, logoutEverywhere } from '../use-cases/logout.js';
import { refreshSession } from '../use-cases/refresh-session.js';

export const sessionRoutes: FastifyPluginAsyncZod<{ deps: UsersDeps }> = async (app, { deps }) => {
  app.post('/login', { schema: { body: loginBody, response: { 200: sessionTokensResponse } } }, async (request) => login(deps, { ...request.body, origin: originOf(request) }));

  app.post('/token/refresh', { schema: { body: refreshTokenBody, response: { 200: sessionTokensResponse } } }, async (request) =>
    refreshSession(deps, { refreshToken: request.body.refreshToken }),
  );

  app.post('/logout', { schema: { body: refreshTokenBody, response: { 204: noContent } } }, async (request, reply) => {
    await logout(deps, { refreshToken: request.body.refreshToken });
    return reply.status(204).send();
  });

  app.post('/logout-all', { schema: { response: { 204: noContent } }, preHandler: app.authenticate }, async (request, reply) => {
    await logoutEverywhere(deps, { userId: request.user.id });
    return reply.status(204).send();
  });
};
