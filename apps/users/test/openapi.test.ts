import { checkOpenApiDocument, operationsOf, sampleBodyOf } from '@trendcast/testing';
import type { OpenAPIV3 } from 'openapi-types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './support/service.js';

// The document the API page shows for users, from the service as main.ts wires it.
let harness: Harness;
let doc: OpenAPIV3.Document;

beforeAll(async () => {
  harness = await startHarness();
  const response = await harness.app.inject({ method: 'GET', url: '/users/openapi.json' });
  expect(response.statusCode).toBe(200);
  doc = response.json();
});

afterAll(() => harness?.close());

const schemaOf = (path: string, method: 'get' | 'post' | 'patch', status: string) => {
  const response = doc.paths[path]?.[method]?.responses[status] as OpenAPIV3.ResponseObject | undefined;
  return response?.content?.['application/json']?.schema;
};

describe('users OpenAPI document', () => {
  it('when it is served, then it is valid OpenAPI 3 and its requests go through the gateway at /api', async () => {
    await checkOpenApiDocument(doc, 'users');
  });

  it('when an operation is documented as needing the bearer token, then the service refuses it without one, and the others it does not', async () => {
    const guarded: string[] = [];
    for (const { path, method, operation } of operationsOf(doc)) {
      const url = path.replace(/\{[^}]+\}/g, '00000000-0000-4000-8000-000000000001');
      // A body that passes validation, which runs before the token check.
      const body = sampleBodyOf(operation, doc);
      const response = await harness.app.inject({ method: method.toUpperCase() as 'GET', url, ...(body === undefined ? {} : { payload: body as object }) });
      const refused = response.statusCode === 401 && response.json().error === 'Authentication required';

      expect(refused, `${method} ${path}: documented ${operation.security ? 'with' : 'without'} a token, answered ${response.statusCode}`).toBe(
        Boolean(operation.security),
      );
      if (operation.security) guarded.push(`${method} ${path}`);
    }
    expect(guarded).toEqual(
      expect.arrayContaining(['post /users/logout-all', 'post /users/password/change', 'get /users/me', 'patch /users/me', 'delete /users/me', 'get /users/', 'patch /users/{id}/role']),
    );
  });

  it('when the admin routes are documented, then they name the admin role', () => {
    const listing = doc.paths['/users/']?.get as OpenAPIV3.OperationObject & { 'x-required-roles'?: string[] };

    expect(listing['x-required-roles']).toEqual(['admin']);
    expect(listing.responses['403']).toBeDefined();
  });

  it('when the main routes are documented, then their answers have schemas (account, session tokens, browser session)', () => {
    expect(schemaOf('/users/me', 'get', '200')).toEqual({ $ref: '#/components/schemas/User' });
    expect(schemaOf('/users/register', 'post', '201')).toEqual({ $ref: '#/components/schemas/User' });
    expect(schemaOf('/users/login', 'post', '200')).toEqual({ $ref: '#/components/schemas/SessionTokens' });
    expect(schemaOf('/users/token/refresh', 'post', '200')).toEqual({ $ref: '#/components/schemas/SessionTokens' });
    expect(schemaOf('/users/sessions/browser', 'post', '200')).toMatchObject({ properties: { user: { $ref: '#/components/schemas/User' } } });
    expect(doc.components?.schemas?.User).toMatchObject({
      required: expect.arrayContaining(['id', 'email', 'displayName', 'role', 'emailVerified', 'notificationPreferences', 'createdAt']),
    });
    expect(doc.components?.schemas?.SessionTokens).toMatchObject({ required: expect.arrayContaining(['accessToken', 'refreshToken', 'expiresIn']) });
    expect(doc.paths['/users/me']?.delete?.responses['204']).toEqual({ description: 'No content' });
  });
});
