import { noContent, type FastifyPluginAsyncZod } from '@trendcast/service-kit';
import { originOf } from './request.js';
import { acceptedResponse, userResponse } from './responses.js';
import { emailBody, registerBody, tokenBody } from './schemas.js';
import type { UsersDeps } from '../use-cases/deps.js';
import { registerUser } from '../use-cases/register-user.js';
import { requestEmailLink } from '../use-cases/request-email-link.js';
import { verifyEmail } from '../use-cases/verify-email.js';

export const registrationRoutes: FastifyPluginAsyncZod<{ deps: UsersDeps }> = async (app, { deps }) => {
  app.post('/register', { schema: { body: registerBody, response: { 201: userResponse } } }, async (request, reply) => {
    const user = await registerUser(deps, { ...request.body, origin: originOf(request) });
    return reply.status(201).send(user);
  });

  app.post('/verify-email', { schema: { body: tokenBody, response: { 204: noContent } } }, async (request, reply) => {
    await verifyEmail(deps, { token: request.body.token });
    return reply.status(204).send();
  });

  app.post('/verify-email/resend', { schema: { body: emailBody, response: { 202: acceptedResponse } } }, async (request, reply) => {
    // Same work whatever the account: the worker decides whether a link goes out.
    await requestEmailLink(deps, { purpose: 'verify_email', email: request.body.email, origin: originOf(request) });
    return reply.status(202).send({ status: 'accepted' });
  });
};
