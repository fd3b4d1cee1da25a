import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { ServiceMetrics } from './metrics.js';

/** Times every request by route pattern (not raw URL, to keep label cardinality bounded) and serves /metrics. */
export const httpMetricsPlugin = fp<{ metrics: ServiceMetrics }>(
  async (app: FastifyInstance, o) => {
    const { registry, httpRequestDuration } = o.metrics;
    app.addHook('onResponse', async (request, reply) => {
      const route = request.routeOptions.url ?? 'unmatched';
      httpRequestDuration.observe(
        { method: request.method, route, status_code: String(reply.statusCode) },
        reply.elapsedTime / 1000,
      );
    });
    app.get('/metrics', { schema: { hide: true } }, async (_request, reply) => {
      const body = await registry.metrics();
      return reply.type(registry.contentType).send(body);
    });
  },
  { name: 'trendcast-http-metrics', fastify: '5.x' },
);
