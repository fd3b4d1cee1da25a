import { noContent, type FastifyPluginAsyncZod } from '@trendcast/service-kit';
import { originOf } from './request.js';
import { userResponse } from './responses.js';
import { deleteAccountBody, updateAccountBody } from './schemas.js';
import type { UsersDeps } from '../use-cases/deps.js';
import { deleteMyAccount, getMyAccount, updateMyAccount } from '../use-cases/my-account.js';

export const accountRoutes: FastifyPluginAsyncZod<{ deps: UsersDeps }> = async (app, { deps }) => {
  app.addHook('preHandler', app.authenticate);

  app.get('/me', { schema: { response: { 200: userResponse } } }, async (request) => getMyAccount(deps, { userId: request.user.id }));

  app.patch('/me', { schema: { body: updateAccountBody, response: { 200: userResponse } } }, async (request) =>
    updateMyAccount(deps, { userId: request.user.id, changes: request.body, origin: originOf(request) }),
  );

  app.delete('/me', { schema: { body: deleteAccountBody, response: { 204: noContent } } }, async (request, reply) => {
    await deleteMyAccount(deps, { userId: request.user.id, password: request.body.password, origin: originOf(request) });
    return reply.status(204).send();
  });
};
