import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DomainError, domainErrorFactory } from '../src/index.js';
import { buildTestApp } from './support/test-app.js';

type ShopErrorCode = 'SOLD_OUT' | 'SLOW_DOWN' | 'UNMAPPED';

describe('domain errors at the edge', () => {
  let t: Awaited<ReturnType<typeof buildTestApp>>;

  beforeAll(async () => {
    t = await buildTestApp({ domainErrors: { SOLD_OUT: 409, SLOW_DOWN: 429 } });
    const fail = (error: DomainError<ShopErrorCode>) => async () => {
      throw error;
    };
    t.app.get('/testsvc/sold-out', fail(new DomainError('SOLD_OUT', 'The last one is gone', { details: { item: 'pizza' } })));
    t.app.get('/testsvc/slow-down', fail(new DomainError('SLOW_DOWN', 'Too many tries', { retryAfterSeconds: 12.2 })));
    t.app.get('/testsvc/unmapped', fail(new DomainError('UNMAPPED', 'internal detail')));
    await t.app.ready();
  });

  afterAll(async () => t.app.close());

  it('when a use case throws a mapped domain error, then it answers with its status, code, message and details', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/testsvc/sold-out' });

    expect(response.statusCode).toBe(409);
    expect(response.json()).toEqual({ error: 'The last one is gone', code: 'SOLD_OUT', details: { item: 'pizza' } });
  });

  it('when a domain error says when to retry, then Retry-After carries whole seconds', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/testsvc/slow-down' });

    expect(response.statusCode).toBe(429);
    expect(response.headers['retry-after']).toBe('13');
  });

  it('when a domain error has no status mapped, then it is a bug: 500 without its message', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/testsvc/unmapped' });

    expect(response.statusCode).toBe(500);
    expect(response.json()).toEqual({ error: 'Internal error', code: 'INTERNAL' });
  });
});

describe('domainErrorFactory', () => {
  const shopError = domainErrorFactory({ SOLD_OUT: 'The last one is gone', NOT_FOUND: 'Not found' });

  it("when a code is given alone, then the error carries that code's usual message", () => {
    expect(shopError('SOLD_OUT')).toMatchObject({ code: 'SOLD_OUT', message: 'The last one is gone' });
  });

  it('when a message is given, then it replaces the usual one and the rest is kept', () => {
    const error = shopError('NOT_FOUND', { message: 'No such pizza', retryAfterSeconds: 2 });

    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ code: 'NOT_FOUND', message: 'No such pizza', retryAfterSeconds: 2 });
  });
});
