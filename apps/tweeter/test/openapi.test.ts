import { checkOpenApiDocument, operationsOf } from '@trendcast/testing';
import type { OpenAPIV3 } from 'openapi-types';
import { createTelemetry, localKeys, type ServiceApp } from '@trendcast/service-kit';
import { createTestTokenSigner } from '@trendcast/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTweeterApp } from '../src/app.js';
import { loadTweeterConfig } from '../src/config.js';
import type { TweeterDeps } from '../src/use-cases/deps.js';

// The document the API page shows for tweeter, from the HTTP app service.ts builds; no request here
// gets past the token check, so no use case runs.
let app: ServiceApp;
let doc: OpenAPIV3.Document;

beforeAll(async () => {
  const signer = await createTestTokenSigner();
  const config = loadTweeterConfig({ DATABASE_URL: 'postgres://unused', PUBLIC_BASE_URL: 'https://app.trendcast.test' });
  const { logger, metrics } = createTelemetry('tweeter', { level: 'silent' });
  app = await buildTweeterApp({
    config,
    deps: { settings: { publicBaseUrl: config.PUBLIC_BASE_URL } } as TweeterDeps,
    logger,
    metrics,
    accessTokens: { keys: localKeys([signer.publicJwk]), issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE },
    readiness: {},
  });
  const response = await app.inject({ method: 'GET', url: '/tweeter/openapi.json' });
  expect(response.statusCode).toBe(200);
  doc = response.json();
});

afterAll(() => app?.close());

const publicOperations = new Set(['get /tweeter/timeline', 'get /tweeter/timeline/{handle}', 'get /tweeter/channels/mastodon/callback']);

describe('tweeter OpenAPI document', () => {
  it('when it is served, then it is valid OpenAPI 3 and its requests go through the gateway at /api', async () => {
    await checkOpenApiDocument(doc, 'tweeter');
  });

  it('when an operation is documented, then it needs the bearer token unless it is the public timeline or the OAuth callback', async () => {
    const operations = operationsOf(doc);
    expect(operations.map(({ method, path }) => `${method} ${path}`)).toEqual(
      expect.arrayContaining(['post /tweeter/channels', 'get /tweeter/posts', 'patch /tweeter/posts/{id}', 'get /tweeter/timeline', 'post /tweeter/channels/{id}/test']),
    );
    for (const { path, method, operation } of operations) {
      if (publicOperations.has(`${method} ${path}`)) {
        expect(operation.security ?? [], `${method} ${path}`).toEqual([]);
        continue;
      }
      expect(operation.security, `${method} ${path}`).toEqual([{ bearerAuth: [] }]);
      if (method !== 'get') continue;
      const response = await app.inject({ method: 'GET', url: path.replace(/\{[^}]+\}/g, '00000000-0000-4000-8000-000000000001') });
      expect(response.statusCode, `${method} ${path}`).toBe(401);
    }
  });

  it('when a channel is documented, then its schema has no field for credentials', () => {
    const channel = doc.components?.schemas?.Channel as OpenAPIV3.SchemaObject;
    expect(Object.keys(channel.properties ?? {})).toEqual(['id', 'kind', 'name', 'handle', 'instanceUrl', 'accountName', 'status', 'maxCharacters', 'createdAt']);
  });
});
