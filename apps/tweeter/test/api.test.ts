import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createEvent } from '@trendcast/events';
import { startFakeMastodon, type FakeMastodon } from '@trendcast/fakes';
import { sleep, waitFor, parkedOutboxAccess } from '@trendcast/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishAs, startTweeter, type TweeterStack } from './support/service.js';

describe('the API: bad input, outbound addresses, the OAuth flow, erasure', () => {
  let stack: TweeterStack;
  let fake: FakeMastodon;
  let redirector: http.Server;
  let redirectorUrl: string;
  const ada = randomUUID();
  const eve = randomUUID();
  let timelineId: string;

  beforeAll(async () => {
    fake = await startFakeMastodon({ accounts: ['ada'] });
    // A "public" server (127.0.0.2 is allowed by name below) that redirects to the loopback fake.
    redirector = http.createServer((_request, response) => response.writeHead(302, { location: `${fake.origin}/api/v1/accounts/verify_credentials` }).end());
    await new Promise<void>((resolve) => redirector.listen(0, '127.0.0.2', resolve));
    redirectorUrl = `http://127.0.0.2:${(redirector.address() as AddressInfo).port}`;
    stack = await startTweeter({
      env: { OUTBOUND_ALLOW_PRIVATE_ADDRESSES: 'false', OUTBOUND_ALLOWED_RANGES: '127.0.0.2/32' },
      overrides: {
        // evil.example resolves to loopback, trusted.example to the allowed 127.0.0.2.
        resolver: async (hostname) => [{ address: hostname === 'trusted.example' ? '127.0.0.2' : '127.0.0.1', family: 4 }],
      },
    });
    timelineId = (await api('POST', '/tweeter/channels', ada, { kind: 'timeline', name: 'Ada', handle: 'ada_api' })).json().id;
  });

  afterAll(async () => {
    await stack?.close();
    await fake?.close();
    await new Promise((resolve) => redirector?.close(resolve));
  });

  async function api(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, userId: string | null, payload?: object, headers: Record<string, string> = {}) {
    return stack.service.app!.inject({ method, url, headers: { ...(userId ? await stack.headersFor(userId) : {}), ...headers }, ...(payload ? { payload } : {}) });
  }

  it('when input is bad, then the answer is a 4xx with a JSON body, never a 500', async () => {
    const cases: Array<[string, Awaited<ReturnType<typeof api>>, number]> = [
      ['no token', await api('GET', '/tweeter/posts', null), 401],
      ['unknown kind', await api('POST', '/tweeter/channels', ada, { kind: 'myspace', name: 'x' }), 400],
      ['timeline without handle', await api('POST', '/tweeter/channels', ada, { kind: 'timeline', name: 'x' }), 400],
      ['bad handle', await api('POST', '/tweeter/channels', ada, { kind: 'timeline', name: 'x', handle: 'no spaces allowed!' }), 400],
      ['taken handle', await api('POST', '/tweeter/channels', eve, { kind: 'timeline', name: 'x', handle: 'ADA_API' }), 409],
      ['extra field', await api('POST', '/tweeter/posts', ada, { text: 'hi', channelId: timelineId, admin: true }), 400],
      ['empty text', await api('POST', '/tweeter/posts', ada, { text: '', channelId: timelineId }), 400],
      ['blank text', await api('POST', '/tweeter/posts', ada, { text: '   ', channelId: timelineId }), 422],
      ['too long', await api('POST', '/tweeter/posts', ada, { text: 'x'.repeat(501), channelId: timelineId }), 422],
      ['control characters', await api('POST', '/tweeter/posts', ada, { text: 'a\u0000b', channelId: timelineId }), 400],
      ['bad date', await api('POST', '/tweeter/posts', ada, { text: 'hi', channelId: timelineId, publishAt: 'tomorrow' }), 400],
      ['not a uuid channel', await api('POST', '/tweeter/posts', ada, { text: 'hi', channelId: 'abc' }), 400],
      ['someone else’s channel', await api('POST', '/tweeter/posts', eve, { text: 'hi', channelId: timelineId }), 404],
      ['unknown post', await api('GET', `/tweeter/posts/${randomUUID()}`, ada), 404],
      ['not an id', await api('GET', '/tweeter/posts/../../etc', ada), 404],
      ['bad cursor', await api('GET', '/tweeter/posts?cursor=nonsense', ada), 400],
      ['bad status filter', await api('GET', '/tweeter/posts?status=lost', ada), 400],
      ['limit too high', await api('GET', '/tweeter/timeline?limit=1000', null), 400],
      ['empty patch', await api('PATCH', `/tweeter/posts/${randomUUID()}`, ada, {}), 400],
      ['callback without state', await api('GET', '/tweeter/channels/mastodon/callback?code=x', null), 400],
    ];
    for (const [what, response, status] of cases) {
      expect({ what, status: response.statusCode }).toEqual({ what, status });
      expect(response.json()).toHaveProperty('error');
    }
    const tooLong = (await api('POST', '/tweeter/posts', ada, { text: 'x'.repeat(501), channelId: timelineId })).json();
    expect(tooLong).toMatchObject({ code: 'TEXT_TOO_LONG', details: { length: 501, maxCharacters: 500 } });
  });

  it('when a channel names an internal address, then it is refused before any connection (loopback, metadata, private, a name resolving to loopback, a redirect to one)', async () => {
    const token = fake.issueToken('ada');
    const port = new URL(fake.origin).port;
    const before = fake.requests.length;
    const attempts = [
      `http://127.0.0.1:${port}`,
      'http://169.254.169.254',
      'http://10.0.0.7',
      'http://192.168.1.1',
      'http://[::1]',
      'http://2130706433',
      `http://evil.example:${port}`,
      redirectorUrl,
      `http://trusted.example:${new URL(redirectorUrl).port}`,
    ];
    for (const instanceUrl of attempts) {
      const response = await api('POST', '/tweeter/channels', ada, { kind: 'mastodon', name: 'x', credentials: { instanceUrl, accessToken: token } });
      expect({ instanceUrl, status: response.statusCode }).toEqual({ instanceUrl, status: 422 });
      const authorize = await api('POST', '/tweeter/channels/mastodon/authorize', ada, { instanceUrl, name: 'x' });
      expect({ instanceUrl, status: authorize.statusCode }).toMatchObject({ instanceUrl, status: expect.any(Number) });
      expect(authorize.statusCode).toBeGreaterThanOrEqual(400);
    }
    expect(fake.requests.length).toBe(before);
    const channels = (await api('GET', '/tweeter/channels', ada)).json().items;
    expect(channels.filter((c: { kind: string }) => c.kind === 'mastodon')).toHaveLength(0);
  });

  it('when a user is deleted (event delivered twice), then their channels and posts are gone, a tombstone refuses later writes, and others are untouched', async () => {
    const victim = randomUUID();
    const channel = (await api('POST', '/tweeter/channels', victim, { kind: 'timeline', name: 'V', handle: 'victim_1' })).json();
    const scheduled = (await api('POST', '/tweeter/posts', victim, { text: 'later', channelId: channel.id, publishAt: new Date(Date.now() + 2_000).toISOString() })).json();
    const erased = createEvent('users.user.deleted', { userId: victim }, { source: 'users', correlationId: randomUUID() });
    await publishAs(stack, 'users', erased);
    await publishAs(stack, 'users', erased);
    await waitFor(async () => (await api('GET', '/tweeter/channels', victim)).json().items?.length === 0, { timeoutMs: 10_000, what: 'the erasure' });

    expect((await api('GET', `/tweeter/posts/${scheduled.id}`, victim)).statusCode).toBe(404);
    expect((await api('POST', '/tweeter/channels', victim, { kind: 'timeline', name: 'V', handle: 'victim_2' })).statusCode).toBe(403);
    const late = createEvent(
      'thinker.draft.approved',
      { draftId: randomUUID(), userId: victim, text: 'late', channelId: channel.id, publishAt: new Date().toISOString() },
      { source: 'thinker', correlationId: randomUUID() },
    );
    await publishAs(stack, 'thinker', late);
    await sleep(2_500);
    expect((await api('GET', '/tweeter/posts', victim)).json().items).toHaveLength(0);
    expect((await stack.service.app!.inject({ method: 'GET', url: '/tweeter/timeline/victim_1' })).statusCode).toBe(404);
    expect((await api('GET', '/tweeter/channels', ada)).json().items).toHaveLength(1);
  });
});

describe('connecting Mastodon with OAuth', () => {
  let stack: TweeterStack;
  let fake: FakeMastodon;
  const ada = randomUUID();

  beforeAll(async () => {
    fake = await startFakeMastodon({ accounts: ['ada'] });
    stack = await startTweeter();
  });

  afterAll(async () => {
    await stack?.close();
    await fake?.close();
  });

  async function authorize() {
    const started = await stack.service.app!.inject({
      method: 'POST',
      url: '/tweeter/channels/mastodon/authorize',
      headers: await stack.headersFor(ada),
      payload: { instanceUrl: fake.origin, name: 'Ada via OAuth' },
    });
    expect(started.statusCode).toBe(200);
    const cookie = String(started.headers['set-cookie']).split(';')[0] ?? '';
    const atInstance = await fetch(started.json().authorizeUrl, { redirect: 'manual' });
    const back = new URL(atInstance.headers.get('location') ?? '');
    return { cookie, back, setCookie: String(started.headers['set-cookie']) };
  }

  it('when the person authorizes at the instance, then the callback stores the channel and sends the browser to /channels', async () => {
    const { cookie, back, setCookie } = await authorize();
    expect(setCookie).toMatch(/HttpOnly/);
    expect(back.pathname).toBe('/api/tweeter/channels/mastodon/callback');
    const callback = await stack.service.app!.inject({ method: 'GET', url: `/tweeter/channels/mastodon/callback${back.search}`, headers: { cookie } });
    expect(callback.statusCode).toBe(303);
    const landing = new URL(String(callback.headers.location));
    expect(landing.origin + landing.pathname).toBe('https://trendcast.example/channels');
    const channelId = landing.searchParams.get('connected');
    const channels = (await stack.service.app!.inject({ method: 'GET', url: '/tweeter/channels', headers: await stack.headersFor(ada) })).json().items;
    expect(channels).toEqual([expect.objectContaining({ id: channelId, kind: 'mastodon', name: 'Ada via OAuth', status: 'active', maxCharacters: 500, accountName: expect.stringContaining('@ada@') })]);
    expect(fake.applications).toHaveLength(1);
    const grantedToken = fake.tokens.at(-1)?.token ?? 'missing';
    expect(stack.logs.join('\n')).not.toContain(grantedToken);
    expect(JSON.stringify(channels)).not.toContain(grantedToken);

    // Deleting the channel revokes the token at the instance.
    const deleted = await stack.service.app!.inject({ method: 'DELETE', url: `/tweeter/channels/${channelId}`, headers: await stack.headersFor(ada) });
    expect(deleted.statusCode).toBe(204);
    expect(fake.tokens.find((t) => t.token === grantedToken)?.revoked).toBe(true);
  });

  it('when the callback comes from another browser (no cookie), then nothing is stored and the page says why', async () => {
    const { back } = await authorize();
    const callback = await stack.service.app!.inject({ method: 'GET', url: `/tweeter/channels/mastodon/callback${back.search}` });
    expect(callback.statusCode).toBe(303);
    expect(new URL(String(callback.headers.location)).searchParams.get('error')).toBe('STATE_OTHER_BROWSER');
    expect(fake.applications).toHaveLength(1); // the app registration is reused
  });

  it('when the operators\' console asks for parked outbox rows, then an admin gets the list, anyone else 403 or 401', async () => {
    expect(await parkedOutboxAccess(stack.service.app!, stack.signer)).toEqual({
      admin: { status: 200, body: { count: 0, rows: [] } },
      user: 403,
      anonymous: 401,
      replayAsUser: 403,
    });
  });
});
