import { checkOpenApiDocument, operationsOf } from '@trendcast/testing';
import type { OpenAPIV3 } from 'openapi-types';
import { createTelemetry, type ServiceApp } from '@trendcast/service-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTrendsApp } from '../src/app.js';
import { loadTrendsConfig } from '../src/config.js';
import type { TrendsDeps } from '../src/use-cases/deps.js';
import { createTestAuth } from './support/auth.js';

// The document the API page shows for trends, from the HTTP app service.ts builds (buildTrendsApp,
// with every route plugin); no request here gets past the token check, so no use case runs.
let app: ServiceApp;
let doc: OpenAPIV3.Document;

beforeAll(async () => {
  const auth = await createTestAuth();
  const config = loadTrendsConfig({ DATABASE_URL: 'postgres://unused', PUBLIC_BASE_URL: 'https://app.trendcast.test' });
  const { logger, metrics } = createTelemetry('trends', { level: 'silent' });
  app = await buildTrendsApp({
    config,
    deps: { settings: { watchMinIntervalMs: 60_000 } } as TrendsDeps,
    logger,
    metrics,
    accessTokens: { keys: auth.keys, issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE },
    readiness: {},
  });
  const response = await app.inject({ method: 'GET', url: '/trends/openapi.json' });
  expect(response.statusCode).toBe(200);
  doc = response.json();
});

afterAll(() => app?.close());

const schemaOf = (path: string, method: 'get' | 'post', status: string) => {
  const response = doc.paths[path]?.[method]?.responses[status] as OpenAPIV3.ResponseObject | undefined;
  return response?.content?.['application/json']?.schema;
};

describe('trends OpenAPI document', () => {
  it('when it is served, then it is valid OpenAPI 3 and its requests go through the gateway at /api', async () => {
    await checkOpenApiDocument(doc, 'trends');
  });

  it('when any operation is documented, then it needs the bearer token, and a read without one is refused', async () => {
    const operations = operationsOf(doc);

    expect(operations.map(({ method, path }) => `${method} ${path}`)).toEqual(
      expect.arrayContaining(['post /trends/searches', 'get /trends/searches/{id}', 'post /trends/watches', 'get /trends/trending']),
    );
    for (const { path, method, operation } of operations) {
      expect(operation.security, `${method} ${path}`).toEqual([{ bearerAuth: [] }]);
      expect(operation.responses['401'], `${method} ${path}`).toBeDefined();
      if (method !== 'get') continue;
      const response = await app.inject({ method: 'GET', url: path.replace(/\{[^}]+\}/g, '00000000-0000-4000-8000-000000000001') });
      expect(response.statusCode, `${method} ${path}`).toBe(401);
    }
  });

  it('when the main routes are documented, then their answers have schemas (search accepted, searches, results, watches, trending)', () => {
    expect(schemaOf('/trends/searches', 'post', '202')).toMatchObject({ required: expect.arrayContaining(['id', 'status', 'statusUrl']) });
    expect(schemaOf('/trends/searches', 'get', '200')).toMatchObject({ properties: { items: { items: { $ref: '#/components/schemas/Search' } } } });
    expect(schemaOf('/trends/searches/{id}', 'get', '200')).toEqual({ $ref: '#/components/schemas/SearchWithResults' });
    expect(schemaOf('/trends/watches', 'post', '201')).toEqual({ $ref: '#/components/schemas/Watch' });
    expect(schemaOf('/trends/watches/{id}/pause', 'post', '200')).toEqual({ $ref: '#/components/schemas/Watch' });
    expect(schemaOf('/trends/trending', 'get', '200')).toMatchObject({ properties: { items: { type: 'array' } } });
    expect(doc.components?.schemas?.SearchWithResults).toMatchObject({ properties: { results: { nullable: true } } });
    expect(doc.paths['/trends/watches/{id}']?.delete?.responses['204']).toEqual({ description: 'No content' });
  });
});
