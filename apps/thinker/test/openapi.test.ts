import { checkOpenApiDocument, operationsOf } from '@trendcast/testing';
import type { OpenAPIV3 } from 'openapi-types';
import { createTelemetry, localKeys, type ServiceApp } from '@trendcast/service-kit';
import { createTestTokenSigner } from '@trendcast/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildThinkerApp } from '../src/app.js';
import { loadThinkerConfig } from '../src/config.js';
import type { ThinkerDeps } from '../src/use-cases/deps.js';

// The document the API page shows for thinker, from the HTTP app service.ts builds (every route
// plugin); no request here gets past the token check, so no use case runs.
let app: ServiceApp;
let doc: OpenAPIV3.Document;

beforeAll(async () => {
  const signer = await createTestTokenSigner();
  const config = loadThinkerConfig({ DATABASE_URL: 'postgres://unused', PUBLIC_BASE_URL: 'https://app.trendcast.test' });
  const { logger, metrics } = createTelemetry('thinker', { level: 'silent' });
  app = await buildThinkerApp({
    config,
    deps: {} as ThinkerDeps,
    logger,
    metrics,
    accessTokens: { keys: localKeys([signer.publicJwk]), issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE },
    readiness: {},
  });
  const response = await app.inject({ method: 'GET', url: '/thinker/openapi.json' });
  expect(response.statusCode).toBe(200);
  doc = response.json();
});

afterAll(() => app?.close());

const schemaOf = (path: string, method: 'get' | 'post' | 'patch', status: string) => {
  const response = doc.paths[path]?.[method]?.responses[status] as OpenAPIV3.ResponseObject | undefined;
  return response?.content?.['application/json']?.schema;
};

describe('thinker OpenAPI document', () => {
  it('when it is served, then it is valid OpenAPI 3 and its requests go through the gateway at /api', async () => {
    await checkOpenApiDocument(doc, 'thinker');
  });

  it('when any operation is documented, then it needs the bearer token, and a read without one is refused', async () => {
    const operations = operationsOf(doc);
    expect(operations.map(({ method, path }) => `${method} ${path}`)).toEqual(
      expect.arrayContaining([
        'post /thinker/generations',
        'get /thinker/generations',
        'get /thinker/generations/{id}',
        'get /thinker/drafts',
        'get /thinker/drafts/{id}',
        'patch /thinker/drafts/{id}',
        'post /thinker/drafts/{id}/approve',
        'post /thinker/drafts/{id}/reject',
        'post /thinker/sentiment',
        'get /thinker/models',
      ]),
    );
    for (const { path, method, operation } of operations) {
      expect(operation.security, `${method} ${path}`).toEqual([{ bearerAuth: [] }]);
      if (method !== 'get') continue;
      const response = await app.inject({ method: 'GET', url: path.replace(/\{[^}]+\}/g, '00000000-0000-4000-8000-000000000001') });
      expect(response.statusCode, `${method} ${path}`).toBe(401);
    }
  });

  it('when the main routes are documented, then their answers have schemas', () => {
    expect(schemaOf('/thinker/generations', 'post', '202')).toMatchObject({ required: expect.arrayContaining(['id', 'status', 'statusUrl']) });
    expect(schemaOf('/thinker/generations', 'get', '200')).toMatchObject({ properties: { items: { items: { $ref: '#/components/schemas/Generation' } } } });
    expect(schemaOf('/thinker/generations/{id}', 'get', '200')).toEqual({ $ref: '#/components/schemas/GenerationWithDrafts' });
    expect(schemaOf('/thinker/drafts/{id}', 'patch', '200')).toEqual({ $ref: '#/components/schemas/Draft' });
    expect(schemaOf('/thinker/drafts/{id}/approve', 'post', '200')).toEqual({ $ref: '#/components/schemas/Draft' });
  });
});
