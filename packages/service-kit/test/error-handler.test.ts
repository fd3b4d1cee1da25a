import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { conflict, HttpError } from '../src/index.js';
import { buildTestApp } from './support/test-app.js';

describe('error handling', () => {
  let t: Awaited<ReturnType<typeof buildTestApp>>;

  beforeAll(async () => {
    t = await buildTestApp({ bodyLimit: 1024 });
    const { app } = t;
    app.post(
      '/testsvc/things',
      {
        schema: {
          body: z.object({ name: z.string().min(2), tags: z.array(z.string()).max(2), address: z.object({ city: z.string() }) }),
          querystring: z.object({ dryRun: z.stringbool().optional() }),
        },
      },
      async (request) => ({ created: request.body.name }),
    );
    app.get('/testsvc/boom', async () => {
      throw new Error('db password is hunter2');
    });
    app.get('/testsvc/taken', async () => {
      throw conflict('Email already registered', { field: 'email' });
    });
    app.get('/testsvc/teapot', async () => {
      throw new HttpError(418, 'TEAPOT', 'I am a teapot');
    });
    app.get('/testsvc/rate-limited', async () => {
      // The shape @fastify/rate-limit and similar plugins throw.
      throw Object.assign(new Error('Rate limit exceeded, retry in 1 minute'), { statusCode: 429 });
    });
    app.get('/testsvc/bad-response', { schema: { response: { 200: z.object({ id: z.uuid() }) } } }, async () => ({
      id: 'not-a-uuid',
    }));
    await app.ready();
  });

  afterAll(async () => {
    await t.app.close();
  });

  it('when the body fails its zod schema, then 400 VALIDATION_FAILED lists each problem with its path', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/testsvc/things',
      payload: { name: 'x', tags: ['a', 'b', 'c'], address: {} },
    });

    expect(response.statusCode).toBe(400);
    const body = response.json();
    expect(body).toMatchObject({ error: 'Invalid body', code: 'VALIDATION_FAILED' });
    expect(body.details).toEqual(
      expect.arrayContaining([
        { path: 'body.name', message: expect.stringContaining('>=2') },
        { path: 'body.tags', message: expect.stringContaining('<=2') },
        { path: 'body.address.city', message: expect.any(String) },
      ]),
    );
  });

  it('when the query string is invalid, then the path says so', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/testsvc/things?dryRun=perhaps',
      payload: { name: 'ok', tags: [], address: { city: 'Oslo' } },
    });

    expect(response.statusCode).toBe(400);
    expect(response.json().details[0].path).toBe('querystring.dryRun');
  });

  it('when the body is valid, then the handler gets the parsed body', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/testsvc/things',
      payload: { name: 'ok', tags: [], address: { city: 'Oslo' } },
    });

    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ created: 'ok' });
  });

  it('when the body is malformed JSON, then 400 INVALID_JSON', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/testsvc/things',
      headers: { 'content-type': 'application/json' },
      payload: '{"name": "ok",',
    });

    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({ error: 'Request body is not valid JSON', code: 'INVALID_JSON' });
  });

  it('when a JSON body tries prototype poisoning, then it is rejected as invalid JSON', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/testsvc/things',
      headers: { 'content-type': 'application/json' },
      payload: '{"name":"ok","tags":[],"address":{"city":"x"},"__proto__":{"admin":true}}',
    });

    expect(response.statusCode).toBe(400);
    expect(response.json().code).toBe('INVALID_JSON');
  });

  it('when the body exceeds the body limit, then 413', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/testsvc/things',
      payload: { name: 'x'.repeat(2000), tags: [], address: { city: 'Oslo' } },
    });

    expect(response.statusCode).toBe(413);
    expect(response.json()).toEqual({ error: 'Request body is too large', code: 'PAYLOAD_TOO_LARGE' });
  });

  it('when the content type has no parser, then 415', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/testsvc/things',
      headers: { 'content-type': 'application/xml' },
      payload: '<thing/>',
    });

    expect(response.statusCode).toBe(415);
    expect(response.json().code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('when no route matches, then 404 JSON', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/testsvc/nothing-here?x=1' });

    expect(response.statusCode).toBe(404);
    expect(response.headers['content-type']).toMatch(/application\/json/);
    expect(response.json()).toEqual({ error: 'Route GET /testsvc/nothing-here not found', code: 'NOT_FOUND' });
  });

  it('when a handler throws an Error, then 500 INTERNAL without message or stack, and the stack is logged', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/testsvc/boom' });

    expect(response.statusCode).toBe(500);
    expect(response.json()).toEqual({ error: 'Internal error', code: 'INTERNAL' });
    expect(response.body).not.toContain('hunter2');
    expect(response.body).not.toContain('at ');
    const logged = t.logs.lines().find((line) => line.msg === 'request failed');
    expect(logged).toMatchObject({ level: 'error', err: { message: 'db password is hunter2' } });
    expect(String((logged?.err as { stack: string }).stack)).toContain('error-handler.test.ts');
  });

  it('when a handler throws an HttpError, then its status, code, message and details are sent', async () => {
    const taken = await t.app.inject({ method: 'GET', url: '/testsvc/taken' });
    const teapot = await t.app.inject({ method: 'GET', url: '/testsvc/teapot' });

    expect(taken.statusCode).toBe(409);
    expect(taken.json()).toEqual({ error: 'Email already registered', code: 'CONFLICT', details: { field: 'email' } });
    expect(teapot.statusCode).toBe(418);
    expect(teapot.json()).toEqual({ error: 'I am a teapot', code: 'TEAPOT' });
  });

  it('when a plugin rejects with 429, then 429 RATE_LIMITED', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/testsvc/rate-limited' });

    expect(response.statusCode).toBe(429);
    expect(response.json()).toEqual({ error: 'Rate limit exceeded, retry in 1 minute', code: 'RATE_LIMITED' });
  });

  it('when a response does not match its schema, then 500 INTERNAL (the bad data is not sent)', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/testsvc/bad-response' });

    expect(response.statusCode).toBe(500);
    expect(response.json()).toEqual({ error: 'Internal error', code: 'INTERNAL' });
    expect(response.body).not.toContain('not-a-uuid');
  });
});
