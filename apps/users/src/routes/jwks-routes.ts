import type { FastifyPluginAsyncZod } from '@trendcast/service-kit';
import type { SigningKeyRing } from '../security/signing-keys.js';

/** The public keys every service verifies access tokens with; every configured key, so rotation is seamless. */
export const jwksRoutes: FastifyPluginAsyncZod<{ keys: SigningKeyRing }> = async (app, { keys }) => {
  const body = keys.jwks();
  app.get('/.well-known/jwks.json', async (_request, reply) => {
    // Short enough that a newly published key reaches verifiers well before it starts signing.
    reply.header('cache-control', 'public, max-age=300');
    return body;
  });
};
