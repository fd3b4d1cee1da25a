import type { FastifyInstance } from 'fastify';

/**
 * Starts accepting connections; fastify logs one "http server listening on <url>" line per bound address.
 * Resolves with the first address and the bound port (port 0 picks a free one).
 */
export async function listen(
  app: Pick<FastifyInstance, 'listen' | 'server'>,
  o: { host: string; port: number },
): Promise<{ address: string; port: number }> {
  const address = await app.listen({
    host: o.host,
    port: o.port,
    listenTextResolver: (url) => `http server listening on ${url}`,
  });
  const bound = app.server.address();
  const port = typeof bound === 'object' && bound !== null ? bound.port : o.port;
  return { address, port };
}
