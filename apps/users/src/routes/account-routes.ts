import type { FastifyPluginAsyncZod } from '@trendcast/service-kit';
import { originOf } from '../http/request.js';
import { deleteAccountBody, updateAccountBody } from '../http/schemas.js';
import type { UsersContext } from '../use-cases/context.js';
import { deleteMyAccount, getMyAccount, updateMyAccount } from '../use-cases/my-account.js';

export const accountRoutes: FastifyPluginAsyncZod<{ ctx: UsersContext }> = async (app, { ctx }) => {
  app.addHook('preHandler', app.authenticate);

  app.get('/me', async (request) => getMyAccount(ctx, request.user.id));

  app.patch('/me', { schema: { body: updateAccountBody } }, async (request) =>
    updateMyAccount(ctx, request.user.id, request.body, originOf(request)),
  );

  app.delete('/me', { schema: { body: deleteAccountBody } }, async (request, reply) => {
    await deleteMyAccount(ctx, request.user.id, request.body.password, originOf(request));
    return reply.status(204).send();
  });
};
