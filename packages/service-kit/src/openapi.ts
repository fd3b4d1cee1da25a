import swagger from '@fastify/swagger';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';

export interface OpenApiOptions {
  title: string;
  version: string;
  /** Where the document is served; defaults to `/<service>/openapi.json`, so the gateway exposes it. */
  path?: string;
}

/** An OpenAPI 3 document generated from the routes' zod schemas (the same schemas that validate). */
export const openApiPlugin = fp<OpenApiOptions & { service: string }>(
  async (app: FastifyInstance, o) => {
    await app.register(swagger, {
      openapi: { info: { title: o.title, version: o.version } },
      transform: jsonSchemaTransform,
    });
    app.get(o.path ?? `/${o.service}/openapi.json`, { schema: { hide: true } }, async () => app.swagger());
  },
  { name: 'trendcast-openapi', fastify: '5.x' },
);
