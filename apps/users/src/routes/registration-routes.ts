import type { FastifyPluginAsyncZod } from '@trendcast/service-kit';
import { originOf } from '../http/request.js';
import { emailBody, registerBody, tokenBody } from '../http/schemas.js';
import type { UsersContext } from '../use-cases/context.js';
import { registerUser } from '../use-cases/register-user.js';
import { requestEmailLink } from '../use-cases/request-email-link.js';
import { verifyEmail } from '../use-cases/verify-email.js';

export const registrationRoutes: FastifyPluginAsyncZod<{ ctx: UsersContext }> = async (app, { ctx }) => {
  app.post('/register', { schema: { body: registerBody } }, async (request, reply) => {
    const user = await registerUser(ctx, request.body, originOf(request));
    return reply.status(201).send(user);
  });

  app.post('/verify-email', { schema: { body: tokenBody } }, async (request, reply) => {
    await verifyEmail(ctx, request.body.token);
    return reply.status(204).send();
  });

  app.post('/verify-email/resend', { schema: { body: emailBody } }, async (request, reply) => {
    // Same work whatever the account: the worker decides whether a link goes out.
    await requestEmailLink(ctx, 'verify_email', request.body.email, originOf(request));
    return reply.status(202).send({ status: 'accepted' });
  });
};
