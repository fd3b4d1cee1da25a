import { createEvent } from '@trendcast/events';
import { sampleEventData } from '@trendcast/events/samples';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, eventLogger } from '../src/index.js';
import { captureLogs } from './support/log-capture.js';
import { buildTestApp } from './support/test-app.js';

describe('request and correlation ids', () => {
  let t: Awaited<ReturnType<typeof buildTestApp>>;

  beforeAll(async () => {
    t = await buildTestApp();
    t.app.post('/testsvc/origin', async (request) => {
      request.log.info({ step: 'use case' }, 'doing the work');
      return request.eventOrigin();
    });
    t.app.get('/testsvc/log-secrets', async (request) => {
      request.log.info({ headers: request.headers, body: { password: 'pw-123', token: 'tok-456' } }, 'debugging');
      return { ok: true };
    });
    await t.app.ready();
  });

  afterAll(async () => {
    await t.app.close();
  });

  const linesFor = (requestId: string) => t.logs.lines().filter((line) => line.requestId === requestId);

  it('when a request carries x-correlation-id, then it is echoed, used for events and on every log line', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/testsvc/origin',
      headers: { 'x-correlation-id': 'signup-42', 'x-request-id': 'gw-req-7' },
    });

    expect(response.headers['x-correlation-id']).toBe('signup-42');
    expect(response.headers['x-request-id']).toBe('gw-req-7');
    expect(response.json()).toEqual({ source: 'testsvc', correlationId: 'signup-42' });
    const lines = linesFor('gw-req-7');
    expect(lines.map((line) => line.msg)).toEqual(['incoming request', 'doing the work', 'request completed']);
    expect(lines.every((line) => line.correlationId === 'signup-42')).toBe(true);
  });

  it('when a request has no ids, then a request id is generated and the correlation id equals it', async () => {
    const response = await t.app.inject({ method: 'POST', url: '/testsvc/origin' });

    const requestId = String(response.headers['x-request-id']);
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(response.headers['x-correlation-id']).toBe(requestId);
    expect(linesFor(requestId).every((line) => line.correlationId === requestId)).toBe(true);
  });

  it('when the ids are not sane (too long, spaces, newlines), then they are replaced', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/testsvc/origin',
      headers: { 'x-correlation-id': 'a'.repeat(129), 'x-request-id': 'forged"\n{"level":"fatal"' },
    });

    const requestId = String(response.headers['x-request-id']);
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(response.headers['x-correlation-id']).toBe(requestId);
  });

  it('when an event is built from request.eventOrigin(), then it carries the correlation id into the envelope', async () => {
    const response = await t.app.inject({ method: 'POST', url: '/testsvc/origin', headers: { 'x-correlation-id': 'c-9' } });

    const event = createEvent('users.user.registered', sampleEventData['users.user.registered'], response.json());
    expect(event.correlationId).toBe('c-9');
    expect(event.source).toBe('testsvc');
  });

  it('when something logs headers, passwords or tokens, then they are redacted', async () => {
    const response = await t.app.inject({
      method: 'GET',
      url: '/testsvc/log-secrets?token=abc&page=2',
      headers: { authorization: 'Bearer very-secret', cookie: 'sid=s3cr3t' },
    });

    const text = JSON.stringify(linesFor(String(response.headers['x-request-id'])));
    for (const secret of ['very-secret', 's3cr3t', 'pw-123', 'tok-456', 'token=abc']) expect(text).not.toContain(secret);
    expect(text).toContain('token=[Redacted]&page=2');
  });
});

describe('eventLogger', () => {
  it('when handling an event, then the log lines carry its correlation id and event id', () => {
    const logs = captureLogs();
    const logger = createLogger({ service: 'next-service', destination: logs.stream });

    eventLogger(logger, { id: 'e-1', type: 'users.user.registered', correlationId: 'signup-42' }).info('handled');

    expect(logs.lines()[0]).toMatchObject({ service: 'next-service', correlationId: 'signup-42', eventId: 'e-1', msg: 'handled' });
  });
});
