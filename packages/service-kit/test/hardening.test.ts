import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { loadConfig, safeText, trustProxyVar, unsafeTextReason, withSafeText } from '../src/index.js';
import { buildTestApp } from './support/test-app.js';

describe('safeText', () => {
  const name = safeText().trim().min(1).max(20);
  const paragraph = safeText({ lineBreaks: true, tabs: true });

  it.each([
    ['a NUL', 'ab\u0000c'],
    ['an unpaired high surrogate', 'ab\ud800'],
    ['an unpaired low surrogate', '\udc00ab'],
    ['an escape character', 'a\u001b[31mred'],
    ['a C1 control', 'a\u0085b'],
    ['DEL', 'a\u007f'],
    ['a line feed in a single-line field', 'a\nb'],
    ['a right-to-left override', 'Ann\u202Egpj.exe'],
    ['a left-to-right isolate', '\u2066Ann'],
    ['a zero-width space', 'Ann\u200Bie'],
    ['a byte order mark', '\uFEFFAnn'],
  ])('when a single-line field holds %s, then it is refused', (_what, value) => {
    expect(name.safeParse(value).success).toBe(false);
  });

  it('when text is ordinary (accents, CJK, emoji with joiners and flags), then it passes', () => {
    for (const value of ['Zoë Ångström', '山田 太郎', '👩‍💻 Ada', '🏴󠁧󠁢󠁳󠁣󠁴󠁿 Scot', 'O\u2019Brien']) {
      expect(name.safeParse(value).success, value).toBe(true);
    }
  });

  it('when a field allows line breaks and tabs, then those pass and other controls still do not', () => {
    expect(paragraph.safeParse('line one\r\nline two\n\tindented').success).toBe(true);
    expect(paragraph.safeParse('line\u0000').success).toBe(false);
    expect(paragraph.safeParse('\ud83d').success).toBe(false);
  });

  it('when checks are chained after it, then they still apply', () => {
    expect(name.parse('  Ann  ')).toBe('Ann');
    expect(name.safeParse('x'.repeat(21)).success).toBe(false);
  });

  it('when a schema from elsewhere is wrapped, then any string in it, however deep, is checked and pointed at', () => {
    const schema = withSafeText(z.object({ tone: z.string(), tags: z.array(z.string()) }));

    const result = schema.safeParse({ tone: 'fun', tags: ['ok', 'bad\u0000'] });

    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(['tags', 1]);
    expect(schema.safeParse({ tone: 'fun', tags: ['ok'] }).success).toBe(true);
  });

  it('when the reason is asked for, then it names the problem', () => {
    expect(unsafeTextReason('a\ud800')).toMatch(/unpaired surrogate/);
    expect(unsafeTextReason('a\u0000')).toMatch(/control characters/);
    expect(unsafeTextReason('a\u202E')).toMatch(/invisible formatting/);
    expect(unsafeTextReason('fine')).toBeUndefined();
  });
});

describe('HTTP answers of every service', () => {
  let t: Awaited<ReturnType<typeof buildTestApp>>;

  beforeAll(async () => {
    t = await buildTestApp({
      readiness: {
        postgres: async () => {
          throw new Error('password authentication failed for user "postgres" at 10.0.0.5');
        },
      },
    });
    t.app.post('/testsvc/things', { schema: { body: z.object({ name: safeText().min(1) }) } }, async (request) => request.body);
    t.app.get('/testsvc/mine', async () => ({ mine: true }));
    t.app.get('/testsvc/cacheable', async (_request, reply) => reply.header('cache-control', 'public, max-age=60').send({ ok: true }));
    await t.app.ready();
  });
  afterAll(async () => t?.app.close());

  it('when a body is text/plain, then the answer is 415 UNSUPPORTED_MEDIA_TYPE', async () => {
    const response = await t.app.inject({ method: 'POST', url: '/testsvc/things', headers: { 'content-type': 'text/plain' }, payload: 'name=x' });

    expect(response.statusCode).toBe(415);
    expect(response.json()).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE' });
  });

  it('when a JSON body carries NUL or a lone surrogate, then the answer is 400 VALIDATION_FAILED', async () => {
    for (const payload of ['{"name":"a\\u0000"}', '{"name":"a\\ud800"}']) {
      const response = await t.app.inject({ method: 'POST', url: '/testsvc/things', headers: { 'content-type': 'application/json' }, payload });

      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ path: 'body.name' }] });
    }
  });

  it('when a request carries credentials, then the answer (success or error) is Cache-Control: no-store', async () => {
    const withToken = await t.app.inject({ method: 'GET', url: '/testsvc/mine', headers: { authorization: 'Bearer x.y.z' } });
    const notFound = await t.app.inject({ method: 'GET', url: '/testsvc/nothing', headers: { authorization: 'Bearer x.y.z' } });
    const anonymous = await t.app.inject({ method: 'GET', url: '/testsvc/mine' });
    const chosen = await t.app.inject({ method: 'GET', url: '/testsvc/cacheable', headers: { authorization: 'Bearer x.y.z' } });

    expect(withToken.headers['cache-control']).toBe('no-store');
    expect(notFound.headers['cache-control']).toBe('no-store');
    expect(anonymous.headers['cache-control']).toBeUndefined();
    expect(chosen.headers['cache-control']).toBe('public, max-age=60');
  });

  it('when the public readiness probe is asked, then it says only ready or not; /readyz keeps the details', async () => {
    const publicAnswer = await t.app.inject({ method: 'GET', url: '/readyz/public' });
    const detailed = await t.app.inject({ method: 'GET', url: '/readyz' });

    expect(publicAnswer.statusCode).toBe(503);
    expect(publicAnswer.json()).toEqual({ status: 'not_ready' });
    expect(publicAnswer.body).not.toContain('postgres');
    expect(detailed.json()).toMatchObject({ checks: { postgres: expect.stringContaining('password authentication failed') } });
  });
});

describe('trustProxyVar', () => {
  const load = (value: string | undefined) => loadConfig(z.object({ TRUST_PROXY: trustProxyVar() }), value === undefined ? {} : { TRUST_PROXY: value });

  it('when it names addresses and subnets, then exactly those are trusted', () => {
    expect(load('172.30.80.10').TRUST_PROXY).toEqual(['172.30.80.10']);
    expect(load(' 10.0.0.0/24 , ::1 ').TRUST_PROXY).toEqual(['10.0.0.0/24', '::1']);
    expect(load(undefined).TRUST_PROXY).toBe(false);
    expect(load('false').TRUST_PROXY).toBe(false);
  });

  it('when it says true (believe anyone) or something that is not an address, then the service does not start', () => {
    expect(() => load('true')).toThrow(/TRUST_PROXY: name the gateway/);
    expect(() => load('gateway')).toThrow(/TRUST_PROXY: must be false or comma-separated/);
    expect(() => load('10.0.0.0/33')).toThrow(/TRUST_PROXY/);
  });
});
