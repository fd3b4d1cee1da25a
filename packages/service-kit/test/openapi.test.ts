import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { buildTestApp } from './support/test-app.js';

describe('OpenAPI document', () => {
  it('when openapi is enabled, then the routes and their zod schemas are described', async () => {
    const { app } = await buildTestApp({ openapi: { title: 'Test service', version: '1.0.0' } });
    app.post(
      '/testsvc/things',
      { schema: { body: z.object({ name: z.string().min(2) }), response: { 201: z.object({ id: z.uuid() }) } } },
      async (_request, reply) => reply.status(201).send({ id: crypto.randomUUID() }),
    );

    const response = await app.inject({ method: 'GET', url: '/testsvc/openapi.json' });
    await app.close();

    expect(response.statusCode).toBe(200);
    const doc = response.json();
    expect(doc.info).toEqual({ title: 'Test service', version: '1.0.0' });
    const operation = doc.paths['/testsvc/things'].post;
    expect(operation.requestBody.content['application/json'].schema).toMatchObject({
      type: 'object',
      properties: { name: { type: 'string', minLength: 2 } },
      required: ['name'],
    });
    expect(operation.responses['201']).toBeDefined();
    expect(Object.keys(doc.paths)).toEqual(['/testsvc/things']);
  });
});
