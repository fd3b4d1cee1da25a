import { startFakeMastodon, type FakeMastodon } from '@trendcast/fakes';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ChannelError } from '../src/domain/channel-error.js';
import { decideRetry } from '../src/domain/retry-policy.js';
import type { GuardedHttpClient } from '../src/integrations/http/guarded-http-client.js';
import { InstanceLimitsCache, MastodonAdapter } from '../src/integrations/mastodon/mastodon-adapter.js';
import { guardedClient } from './support/servers.js';

let fake: FakeMastodon;
let http: GuardedHttpClient;
let token: string;

beforeEach(async () => {
  fake = await startFakeMastodon({ accounts: ['ada'], domain: 'social.example' });
  http = guardedClient({ allowPrivateAddresses: true, timeoutMs: 1_000 });
  token = fake.issueToken('ada');
});

afterEach(async () => {
  await http.close();
  await fake.close();
});

function adapter(accessToken = token, extra: Partial<ConstructorParameters<typeof MastodonAdapter>[0]> = {}) {
  return new MastodonAdapter({ http, credentials: { instanceUrl: fake.origin, accessToken }, ...extra });
}

async function failureOf(promise: Promise<unknown>): Promise<ChannelError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ChannelError);
  return error as ChannelError;
}

describe('Mastodon adapter', () => {
  it('when a post is published, then Mastodon stores it with our Idempotency-Key and we get its id and URL', async () => {
    const published = await adapter().publish({ text: 'Pizza searches doubled this week' }, 'post-1');
    const [stored] = fake.statusesOf('ada');
    expect(stored).toMatchObject({ text: 'Pizza searches doubled this week', idempotencyKey: 'post-1', visibility: 'public' });
    expect(published).toEqual({ remoteId: stored?.id, url: `${fake.origin}/@ada/${stored?.id}` });
    expect(fake.requestsTo('statuses')[0]?.headers.authorization).toBe(`Bearer ${token}`);
  });

  it('when the answer never arrives, then the outcome is unknown, and the retry with the same key creates no second status', async () => {
    fake.failNext({ kind: 'no-answer' });
    const lost = await failureOf(adapter().publish({ text: 'once only' }, 'post-2'));
    expect(lost.kind).toBe('unknown_outcome');
    expect(fake.statusesOf('ada')).toHaveLength(1);

    const decision = decideRetry({ error: lost, attempts: 1, rateLimitedAttempts: 0, now: new Date(), unknownSince: new Date() }, adapter());
    expect(decision).toMatchObject({ action: 'retry', checkFirst: false });

    const retried = await adapter().publish({ text: 'once only' }, 'post-2');
    expect(fake.statusesOf('ada')).toHaveLength(1);
    expect(retried.remoteId).toBe(fake.statusesOf('ada')[0]?.id);
  });

  it('when the connection drops before Mastodon processes the request, then the outcome is unknown and the retry posts it once', async () => {
    fake.failNext({ kind: 'drop' });
    expect((await failureOf(adapter().publish({ text: 'dropped' }, 'post-3'))).kind).toBe('unknown_outcome');
    expect(fake.statusesOf('ada')).toHaveLength(0);
    await adapter().publish({ text: 'dropped' }, 'post-3');
    await adapter().publish({ text: 'dropped' }, 'post-3');
    expect(fake.statusesOf('ada')).toHaveLength(1);
  });

  it('when the token was revoked, then publishing fails as auth_revoked with Mastodon\'s reason', async () => {
    fake.revokeToken(token);
    const error = await failureOf(adapter().publish({ text: 'x' }, 'post-4'));
    expect(error.kind).toBe('auth_revoked');
    expect(error.status).toBe(401);
    expect(error.reason).toContain('The access token was revoked');
    expect(decideRetry({ error, attempts: 1, rateLimitedAttempts: 0, now: new Date() }, adapter())).toMatchObject({ action: 'fail', channelNeedsReconnection: true });
  });

  it('when Mastodon refuses the text (422), then the post is rejected with the network\'s reason and not retried', async () => {
    fake.setMaxCharacters(20);
    const error = await failureOf(adapter().publish({ text: 'this text is longer than twenty' }, 'post-5'));
    expect(error.kind).toBe('rejected');
    expect(error.status).toBe(422);
    expect(error.networkMessage).toBe('Validation failed: Text character limit of 20 exceeded');
    expect(error.reason).toContain('Validation failed: Text character limit of 20 exceeded');
    expect(decideRetry({ error, attempts: 1, rateLimitedAttempts: 0, now: new Date() }, adapter())).toMatchObject({ action: 'fail', channelNeedsReconnection: false });
  });

  it('when Mastodon answers 429, then the error is rate_limited with the reset time from X-RateLimit-Reset, and the retry waits for it', async () => {
    fake.failNext({ kind: 'rate-limited', resetInSeconds: 90 });
    const before = Date.now();
    const error = await failureOf(adapter().publish({ text: 'x' }, 'post-6'));
    expect(error.kind).toBe('rate_limited');
    const resetMs = (error.resetAt?.getTime() ?? 0) - before;
    expect(resetMs).toBeGreaterThan(89_000);
    expect(resetMs).toBeLessThan(95_000);

    const now = new Date();
    const decision = decideRetry({ error, attempts: 1, rateLimitedAttempts: 1, now }, adapter(), undefined, () => 0);
    expect(decision).toMatchObject({ action: 'retry', at: error.resetAt });
    expect(fake.statusesOf('ada')).toHaveLength(0);
  });

  it.each([500, 502, 503, 504] as const)('when Mastodon answers %i, then the error is temporary', async (status) => {
    fake.failNext({ kind: 'server-error', status });
    const error = await failureOf(adapter().publish({ text: 'x' }, 'post-7'));
    expect(error.kind).toBe('temporary');
    expect(error.status).toBe(status);
  });

  it('when a duplicate arrives while the first is still processed, then the 503 is temporary and the status exists once', async () => {
    fake.failNext({ kind: 'slow', ms: 400 });
    const first = adapter().publish({ text: 'slow' }, 'post-8');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect((await failureOf(adapter().publish({ text: 'slow' }, 'post-8'))).kind).toBe('temporary');
    await first;
    expect(fake.statusesOf('ada')).toHaveLength(1);
  });

  it('when the instance is slower than the time limit, then the publish is an unknown outcome that the key makes safe to retry', async () => {
    fake.failNext({ kind: 'slow', ms: 1_500 });
    expect((await failureOf(adapter().publish({ text: 'late' }, 'post-9'))).kind).toBe('unknown_outcome');
    await new Promise((resolve) => setTimeout(resolve, 700));
    await adapter().publish({ text: 'late' }, 'post-9');
    expect(fake.statusesOf('ada')).toHaveLength(1);
  });

  it('when credentials are checked, then verify names the account as @user@instance', async () => {
    expect(await adapter().verify()).toEqual({
      remoteId: expect.any(String),
      accountName: `@ada@${new URL(fake.origin).host}`,
      displayName: 'ada',
      url: `${fake.origin}/@ada`,
    });
    fake.revokeToken(token);
    expect((await failureOf(adapter().verify())).kind).toBe('auth_revoked');
  });

  it('when limits are read, then they come from /api/v2/instance with links at 23, and are cached per instance', async () => {
    fake.setMaxCharacters(1000);
    const cache = new InstanceLimitsCache(60_000);
    expect(await adapter(token, { limitsCache: cache }).limits()).toEqual({ maxCharacters: 1000, linkWeight: 23 });
    fake.setMaxCharacters(200);
    expect(await adapter(token, { limitsCache: cache }).limits()).toEqual({ maxCharacters: 1000, linkWeight: 23 });
    expect(fake.requestsTo('instance')).toHaveLength(1);
    expect(await adapter().limits()).toEqual({ maxCharacters: 200, linkWeight: 23 });
  });

  it('when the instance address is internal and private addresses are not allowed, then the post is rejected without any request', async () => {
    const strict = guardedClient({ allowPrivateAddresses: false });
    try {
      const error = await failureOf(new MastodonAdapter({ http: strict, credentials: { instanceUrl: fake.origin, accessToken: token } }).publish({ text: 'x' }, 'post-10'));
      expect(error.kind).toBe('rejected');
      expect(error.reason).toContain('not allowed');
      expect(fake.requests).toHaveLength(0);
    } finally {
      await strict.close();
    }
  });

  it('when nothing listens at the instance, then publishing is temporary (the request never left)', async () => {
    const origin = fake.origin;
    await fake.close();
    const error = await failureOf(new MastodonAdapter({ http, credentials: { instanceUrl: origin, accessToken: token } }).publish({ text: 'x' }, 'post-11'));
    expect(error.kind).toBe('temporary');
    fake = await startFakeMastodon();
  });
});
