import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { HttpError } from './errors.js';

/**
 * app.close() waits for every open connection, and keep-alive clients (the gateway's upstream pool,
 * fetch) keep theirs open long after their last response: shutdown would hang for the keep-alive
 * timeout. While closing, responses say `Connection: close` and idle connections are swept, so
 * close() returns as soon as in-flight requests are answered. A request that still arrives on an
 * open connection is turned away with 503 SHUTTING_DOWN (in our error shape), to be retried elsewhere.
 */
export const gracefulClosePlugin = fp(
  async (app: FastifyInstance) => {
    let closing = false;
    let sweep: NodeJS.Timeout | undefined;
    app.addHook('preClose', async () => {
      closing = true;
      sweep = setInterval(() => app.server.closeIdleConnections(), 100);
      sweep.unref();
    });
    app.addHook('onRequest', async () => {
      if (closing) {
        throw new HttpError(503, 'SHUTTING_DOWN', 'Service is shutting down', undefined, { 'retry-after': '1' });
      }
    });
    app.addHook('onSend', async (_request, reply) => {
      if (closing) reply.header('connection', 'close');
    });
    app.addHook('onClose', async () => {
      clearInterval(sweep);
    });
  },
  { name: 'trendcast-graceful-close', fastify: '5.x' },
);
