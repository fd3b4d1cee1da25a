import { checkOpenApiDocument, operationsOf } from '@trendcast/testing';
import type { OpenAPIV3 } from 'openapi-types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { localKeys, noContent, requireRole, type FastifyPluginAsyncZod, type ServiceApp } from '../src/index.js';
import { buildTestApp } from './support/test-app.js';
import { audience, createSigningKey, issuer } from './support/tokens.js';

/** Every way a route of ours asks for a token, beside routes that do not. */
const accountRoutes: FastifyPluginAsyncZod = async (app) => {
  app.addHook('preHandler', app.authenticate);
  app.get('/me', { schema: { response: { 200: z.object({ id: z.uuid(), displayName: z.string() }) } } }, async () => ({
    id: crypto.randomUUID(),
    displayName: 'Ada',
  }));
};
const adminRoutes: FastifyPluginAsyncZod = async (app) => {
  app.addHook('preHandler', requireRole('admin'));
  app.patch('/:id/role', { schema: { params: z.object({ id: z.uuid() }), body: z.object({ role: z.enum(['user', 'admin']) }) } }, async () => ({}));
};
const lateHookRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/late', async () => ({}));
  // Hooks apply to a plugin's routes wherever the call stands in it.
  app.addHook('onRequest', app.authenticate);
};
const openRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post('/things', { schema: { body: z.object({ name: z.string().min(2) }), response: { 201: z.object({ id: z.uuid() }) } } }, async (_request, reply) =>
    reply.status(201).send({ id: crypto.randomUUID() }),
  );
  app.get('/things/:id', async () => ({}));
  app.post('/logout-all', { preHandler: app.authenticate, schema: { response: { 204: noContent } } }, async (_request, reply) =>
    reply.status(204).send(),
  );
  app.get('/shared', { schema: { response: { 200: z.object({ at: z.iso.datetime() }).meta({ id: 'Moment' }) } } }, async () => ({
    at: new Date().toISOString(),
  }));
};

async function documentOf(app: ServiceApp, path = '/testsvc/openapi.json'): Promise<OpenAPIV3.Document> {
  const response = await app.inject({ method: 'GET', url: path });
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
}

describe('OpenAPI document', () => {
  let app: ServiceApp;
  let doc: OpenAPIV3.Document;

  beforeAll(async () => {
    const key = await createSigningKey('key-1');
    ({ app } = await buildTestApp({
      openapi: { title: 'Test service', version: '1.0.0', description: 'Things and accounts.' },
      accessTokens: { keys: localKeys([key.publicJwk]), issuer, audience },
    }));
    await app.register(accountRoutes, { prefix: '/testsvc' });
    await app.register(adminRoutes, { prefix: '/testsvc/admin' });
    await app.register(lateHookRoutes, { prefix: '/testsvc' });
    await app.register(openRoutes, { prefix: '/testsvc' });
    doc = await documentOf(app);
  });

  afterAll(() => app.close());

  const operation = (path: string, method: 'get' | 'post' | 'patch') => {
    const found = doc.paths[path]?.[method];
    if (!found) throw new Error(`${method} ${path} is not documented`);
    return found;
  };

  it('when the document is checked, then it is valid OpenAPI 3 and sends every request through the gateway at /api', async () => {
    await checkOpenApiDocument(doc, 'testsvc');

    expect(doc.info).toEqual({ title: 'Test service', version: '1.0.0', description: 'Things and accounts.' });
    expect(doc.servers).toEqual([{ url: '/api', description: 'The Trendcast gateway' }]);
  });

  it("when routes are registered, then they are described with their zod schemas, and the kit's own routes are not", () => {
    const post = operation('/testsvc/things', 'post');

    expect((post.requestBody as OpenAPIV3.RequestBodyObject).content['application/json']!.schema).toMatchObject({
      type: 'object',
      properties: { name: { type: 'string', minLength: 2 } },
      required: ['name'],
    });
    expect(Object.keys(doc.paths).sort()).toEqual(
      ['/testsvc/admin/{id}/role', '/testsvc/late', '/testsvc/logout-all', '/testsvc/me', '/testsvc/shared', '/testsvc/things', '/testsvc/things/{id}'].sort(),
    );
    expect(post.tags).toEqual(['testsvc']);
  });

  it('when a route declares its responses, then their schemas are in the document', () => {
    const me = operation('/testsvc/me', 'get');
    const created = operation('/testsvc/things', 'post').responses['201'] as OpenAPIV3.ResponseObject;

    expect((me.responses['200'] as OpenAPIV3.ResponseObject).content?.['application/json']?.schema).toMatchObject({
      type: 'object',
      properties: { id: { type: 'string', format: 'uuid' }, displayName: { type: 'string' } },
    });
    expect(created.content?.['application/json']?.schema).toMatchObject({ properties: { id: { format: 'uuid' } } });
  });

  it('when a route answers 204 (noContent), then the document shows that answer without a body', async () => {
    const noBody = operation('/testsvc/logout-all', 'post').responses['204'] as OpenAPIV3.ResponseObject;

    expect(noBody).toEqual({ description: 'No content' });
    expect(operation('/testsvc/logout-all', 'post').responses['200']).toBeUndefined();
  });

  it('when a schema has an id, then it is a component the operation refers to', () => {
    const shared = operation('/testsvc/shared', 'get').responses['200'] as OpenAPIV3.ResponseObject;

    expect(shared.content?.['application/json']?.schema).toEqual({ $ref: '#/components/schemas/Moment' });
    expect(doc.components?.schemas?.Moment).toMatchObject({ properties: { at: { type: 'string', format: 'date-time' } } });
  });

  it('when a route checks the access token (plugin hook, route preHandler, role check, hook added after the route), then it carries the bearer scheme and a 401', () => {
    const guarded = [
      operation('/testsvc/me', 'get'),
      operation('/testsvc/admin/{id}/role', 'patch'),
      operation('/testsvc/late', 'get'),
      operation('/testsvc/logout-all', 'post'),
    ];

    for (const op of guarded) {
      expect(op.security).toEqual([{ bearerAuth: [] }]);
      expect(op.responses['401']).toEqual({
        description: expect.stringContaining('access token'),
        content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
      });
    }
    expect(doc.components?.securitySchemes?.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
  });

  it('when a route needs no token, then it names no security and no 401', () => {
    for (const op of [operation('/testsvc/things', 'post'), operation('/testsvc/things/{id}', 'get'), operation('/testsvc/shared', 'get')]) {
      expect(op.security).toBeUndefined();
      expect(op.responses['401']).toBeUndefined();
    }
  });

  it('when a route requires a role, then the document names the role and a 403', () => {
    const op = operation('/testsvc/admin/{id}/role', 'patch') as OpenAPIV3.OperationObject & { 'x-required-roles'?: string[] };

    expect(op['x-required-roles']).toEqual(['admin']);
    expect((op.responses['403'] as OpenAPIV3.ResponseObject).description).toContain('admin');
    expect(operation('/testsvc/me', 'get').responses['403']).toBeUndefined();
  });

  it('when a route validates input, then a 400 in the error shape is documented, and every operation documents that shape for other errors', () => {
    expect(operation('/testsvc/things', 'post').responses['400']).toMatchObject({ content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } });
    expect(operation('/testsvc/me', 'get').responses['400']).toBeUndefined();
    for (const { operation: op } of operationsOf(doc)) expect(op.responses.default).toBeDefined();
    expect(doc.components?.schemas?.Error).toMatchObject({ required: ['error', 'code'] });
  });

  it('when another server address is configured, then the document names it', async () => {
    const { app: other } = await buildTestApp({ openapi: { title: 'Direct', version: '1', serverUrl: 'http://127.0.0.1:3999', path: '/docs.json' } });
    other.get('/testsvc/ping', async () => ({ pong: true }));

    const document = await documentOf(other, '/docs.json');
    await other.close();

    expect(document.servers).toEqual([{ url: 'http://127.0.0.1:3999' }]);
  });
});
