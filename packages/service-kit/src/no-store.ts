import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/**
 * Answers to a request that carried credentials are that person's own (their searches, their
 * account, or a refusal naming their token): no cache, shared or private, may keep them. A route
 * that chose its own Cache-Control keeps it.
 */
export const noStoreForCredentialsPlugin = fp(
  async (app: FastifyInstance) => {
    app.addHook('onSend', async (request, reply) => {
      if (request.headers.authorization === undefined && request.headers.cookie === undefined) return;
      if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
    });
  },
  { name: 'trendcast-no-store', fastify: '5.x' },
);
