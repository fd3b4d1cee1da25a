import type { FastifyPluginAsyncZod } from '@trendcast/service-kit';
import { originOf } from '../http/request.js';
import { loginBody, refreshTokenBody } from '../http/schemas.js';
import type { UsersContext } from '../use-cases/context.js';
import { login } from '../use-cases/login.js';
import { logout, logoutEverywhere } from '../use-cases/logout.js';
import { refreshSession } from '../use-cases/refresh-session.js';

export const sessionRoutes: FastifyPluginAsyncZod<{ ctx: UsersContext }> = async (app, { ctx }) => {
  app.post('/login', { schema: { body: loginBody } }, async (request) => login(ctx, request.body, originOf(request)));

  app.post('/token/refresh', { schema: { body: refreshTokenBody } }, async (request) =>
    refreshSession(ctx, request.body.refreshToken),
  );

  app.post('/logout', { schema: { body: refreshTokenBody } }, async (request, reply) => {
    await logout(ctx, request.body.refreshToken);
    return reply.status(204).send();
  });

  app.post('/logout-all', { preHandler: app.authenticate }, async (request, reply) => {
    await logoutEverywhere(ctx, request.user.id);
    return reply.status(204).send();
  });
};
