import { randomUUID } from 'node:crypto';
import { startFakeMastodon, type FakeMastodon } from '@trendcast/fakes';
import { waitFor } from '@trendcast/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTweeter, type TweeterStack } from './support/service.js';

describe('per-channel concurrency', () => {
  let stack: TweeterStack;
  let fake: FakeMastodon;
  const ada = randomUUID();

  beforeAll(async () => {
    fake = await startFakeMastodon({ accounts: ['ada', 'bob'] });
    stack = await startTweeter({ env: { PUBLISH_CHANNEL_CONCURRENCY: '2', PUBLISH_CONCURRENCY: '20' } });
  });

  afterAll(async () => {
    await stack?.close();
    await fake?.close();
  });

  async function api(method: 'GET' | 'POST', url: string, payload?: object) {
    return stack.service.app!.inject({ method, url, headers: await stack.headersFor(ada), ...(payload ? { payload } : {}) });
  }

  it('when many posts of one channel are due at once, then at most PUBLISH_CHANNEL_CONCURRENCY of them are sent at a time, and all go out once', async () => {
    const channelId = (await api('POST', '/tweeter/channels', { kind: 'mastodon', name: 'Ada', credentials: { instanceUrl: fake.origin, accessToken: fake.issueToken('ada') } })).json().id;
    // Every status takes 300 ms to be made, so attempts that run together overlap visibly.
    fake.failAlways({ kind: 'slow', ms: 300 });
    const publishAt = new Date(Date.now() + 1_000).toISOString();
    const ids: string[] = [];
    for (let i = 0; i < 8; i += 1) ids.push((await api('POST', '/tweeter/posts', { text: `limited ${i}`, channelId, publishAt })).json().id);

    await waitFor(async () => (await api('GET', '/tweeter/posts?status=published&limit=100')).json().items.length === ids.length, {
      timeoutMs: 30_000,
      what: 'every post to be published',
    });
    fake.failAlways(null);

    // Requests in flight at each arrival: those that arrived before it and had not been answered yet.
    const requests = fake.requestsTo('statuses');
    expect(requests).toHaveLength(ids.length);
    const spans = requests.map((r) => ({ start: r.at.getTime(), end: r.at.getTime() + 300 }));
    const mostAtOnce = Math.max(...spans.map((span) => spans.filter((other) => other.start <= span.start && other.end > span.start).length));
    expect(mostAtOnce).toBeLessThanOrEqual(2);
    expect(mostAtOnce).toBe(2);
    for (const id of ids) expect(fake.statuses.filter((s) => s.idempotencyKey === id)).toHaveLength(1);
  });
});
