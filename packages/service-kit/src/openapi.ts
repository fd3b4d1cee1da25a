import swagger from '@fastify/swagger';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { accessDemandedBy, contextGuards, routeLevelGuards } from './auth/route-access.js';
import { addSharedParts, bearerScheme, bearerSchemeName, requiredRolesExtension } from './openapi-document.js';

export interface OpenApiOptions {
  title: string;
  version: string;
  /** A paragraph shown under the title. */
  description?: string;
  /** Where the document is served; defaults to `/<service>/openapi.json`, so the gateway exposes it. */
  path?: string;
  /**
   * Where clients send the documented paths: by default `/api`, the gateway, which maps
   * `/api/<service>/x` to the service's `/<service>/x`, so "try it out" goes through the gateway.
   */
  serverUrl?: string;
}

/**
 * The response schema of a 204: `response: { 204: noContent }` documents an answer without a body
 * (and lets `reply.status(204).send()` type-check: its payload type is undefined).
 */
export const noContent = z.never().optional().describe('No content');

type TransformInput = Parameters<typeof jsonSchemaTransform>[0];

/**
 * An OpenAPI 3 document generated from the routes' zod schemas (the same schemas that validate),
 * as a client of the gateway sees it: paths under the gateway's `/api`, the bearer token on every
 * route that authenticates (found from its hooks, so no route declares it twice), and the error
 * shape every failure answers with.
 */
export const openApiPlugin = fp<OpenApiOptions & { service: string }>(
  async (app: FastifyInstance, o) => {
    // Which plugin registered each route: its hooks (app.addHook('preHandler', app.authenticate)) apply to it.
    const registeredIn = new WeakMap<object, FastifyInstance>();
    app.addHook('onRoute', function remember(this: FastifyInstance, route) {
      registeredIn.set(route, this);
    });

    const transform = (input: TransformInput) => {
      const transformed = jsonSchemaTransform(input) as { schema?: Record<string, unknown>; url: string };
      const { url } = transformed;
      const schema = transformed.schema ?? {};
      if (schema.hide) return { schema, url };
      const instance = registeredIn.get(input.route);
      const access = accessDemandedBy([...(instance ? contextGuards(instance) : []), ...routeLevelGuards(input.route)]);
      const documented: Record<string, unknown> = { ...schema, tags: schema.tags ?? [o.service] };
      if (access.authenticated) documented.security = [{ [bearerSchemeName]: [] }];
      if (access.roles.length > 0) documented[requiredRolesExtension] = access.roles;
      return { schema: documented, url };
    };

    await app.register(swagger, {
      openapi: {
        openapi: '3.0.3',
        info: { title: o.title, version: o.version, ...(o.description ? { description: o.description } : {}) },
        servers: [o.serverUrl ? { url: o.serverUrl } : { url: '/api', description: 'The Trendcast gateway' }],
        components: { securitySchemes: { [bearerSchemeName]: bearerScheme } },
      },
      transform,
      // Schemas registered with an id (`.meta({ id })`) become components the paths refer to.
      transformObject: (input) => addSharedParts(jsonSchemaTransformObject(input)),
    });
    app.get(o.path ?? `/${o.service}/openapi.json`, { schema: { hide: true } }, async () => app.swagger());
  },
  { name: 'trendcast-openapi', fastify: '5.x' },
);
