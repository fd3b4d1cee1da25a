import type { FastifyPluginAsyncZod } from '@trendcast/service-kit';
import { originOf, sessionIdOf } from '../http/request.js';
import { changePasswordBody, emailBody, resetPasswordBody } from '../http/schemas.js';
import { changePassword } from '../use-cases/change-password.js';
import type { UsersContext } from '../use-cases/context.js';
import { requestEmailLink } from '../use-cases/request-email-link.js';
import { resetPassword } from '../use-cases/reset-password.js';

export const passwordRoutes: FastifyPluginAsyncZod<{ ctx: UsersContext }> = async (app, { ctx }) => {
  // Always 202 after the same work, whether or not the email has an account (the link is sent later).
  app.post('/password/forgot', { schema: { body: emailBody } }, async (request, reply) => {
    await requestEmailLink(ctx, 'reset_password', request.body.email, originOf(request));
    return reply.status(202).send({ status: 'accepted' });
  });

  app.post('/password/reset', { schema: { body: resetPasswordBody } }, async (request, reply) => {
    await resetPassword(ctx, request.body, originOf(request));
    return reply.status(204).send();
  });

  app.post(
    '/password/change',
    { schema: { body: changePasswordBody }, preHandler: app.authenticate },
    async (request, reply) => {
      await changePassword(
        ctx,
        { userId: request.user.id, sessionId: sessionIdOf(request), ...request.body },
        originOf(request),
      );
      return reply.status(204).send();
    },
  );
};
