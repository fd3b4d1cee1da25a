import { noContent, type FastifyPluginAsyncZod } from '@trendcast/service-kit';
import { originOf } from './request.js';
import { acceptedResponse } from './responses.js';
import { changePasswordBody, emailBody, resetPasswordBody } from './schemas.js';
import { changePassword } from '../use-cases/change-password.js';
import type { UsersDeps } from '../use-cases/deps.js';
import { requestEmailLink } from '../use-cases/request-email-link.js';
import { resetPassword } from '../use-cases/reset-password.js';

export const passwordRoutes: FastifyPluginAsyncZod<{ deps: UsersDeps }> = async (app, { deps }) => {
  // Always 202 after the same work, whether or not the email has an account (the link is sent later).
  app.post('/password/forgot', { schema: { body: emailBody, response: { 202: acceptedResponse } } }, async (request, reply) => {
    await requestEmailLink(deps, { purpose: 'reset_password', email: request.body.email, origin: originOf(request) });
    return reply.status(202).send({ status: 'accepted' });
  });

  app.post('/password/reset', { schema: { body: resetPasswordBody, response: { 204: noContent } } }, async (request, reply) => {
    await resetPassword(deps, { ...request.body, origin: originOf(request) });
    return reply.status(204).send();
  });

  app.post(
    '/password/change',
    { schema: { body: changePasswordBody, response: { 204: noContent } }, preHandler: app.authenticate },
    async (request, reply) => {
      await changePassword(deps, {
        userId: request.user.id,
        sessionId: request.user.sessionId,
        ...request.body,
        origin: originOf(request),
      });
      return reply.status(204).send();
    },
  );
};
