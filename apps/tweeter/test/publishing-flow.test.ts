import { randomUUID } from 'node:crypto';
import { createEvent, type AnyDomainEvent } from '@trendcast/events';
import { startFakeMastodon, type FakeMastodon } from '@trendcast/fakes';
import { sleep, waitFor } from '@trendcast/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishAs, startTweeter, tapEvents, type EventTap, type TweeterStack } from './support/service.js';

describe('publishing: approved draft → scheduled → published at its time, once', () => {
  let stack: TweeterStack;
  let tap: EventTap;
  let fake: FakeMastodon;
  const ada = randomUUID();
  const bob = randomUUID();
  let timelineId: string;

  beforeAll(async () => {
    stack = await startTweeter();
    tap = await tapEvents(stack);
    fake = await startFakeMastodon({ accounts: ['ada'] });
    const created = await api('POST', '/tweeter/channels', ada, { kind: 'timeline', name: 'Ada on Trendcast', handle: '@Ada_L' });
    expect(created.statusCode).toBe(201);
    timelineId = created.json().id;
  });

  afterAll(async () => {
    await tap?.close();
    await stack?.close();
    await fake?.close();
  });

  async function api(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, userId: string, payload?: object) {
    return stack.service.app!.inject({ method, url, headers: await stack.headersFor(userId), ...(payload ? { payload } : {}) });
  }

  function approval(o: { userId: string; channelId: string; publishAt: Date; draftId?: string; text?: string }) {
    return createEvent(
      'thinker.draft.approved',
      {
        draftId: o.draftId ?? randomUUID(),
        userId: o.userId,
        text: o.text ?? 'Pizza searches doubled this week',
        channelId: o.channelId,
        publishAt: o.publishAt.toISOString(),
        sentiment: { label: 'positive', score: 0.8, scorer: 'test' },
      },
      { source: 'thinker', correlationId: randomUUID() },
    );
  }

  async function postOfDraft(userId: string, draftId: string) {
    return waitFor(
      async () => {
        const page = (await api('GET', '/tweeter/posts?limit=100', userId)).json();
        return page.items.find((p: { draftId: string }) => p.draftId === draftId);
      },
      { timeoutMs: 15_000, what: `the post of draft ${draftId}` },
    );
  }

  async function settled(userId: string, postId: string, timeoutMs = 15_000) {
    return waitFor(
      async () => {
        const post = (await api('GET', `/tweeter/posts/${postId}`, userId)).json();
        return ['published', 'failed', 'cancelled'].includes(post.status) ? post : undefined;
      },
      { timeoutMs, what: `post ${postId} to settle` },
    );
  }

  const eventsOf = (type: string, postId: string) => tap.events.filter((e: AnyDomainEvent) => e.type === type && (e.data as { postId: string }).postId === postId);

  it('when a draft is approved for the timeline, then it is scheduled, published at its time, on the public timeline, and tweeter.post.published carries its URL', async () => {
    const publishAt = new Date(Date.now() + 2_000);
    const event = approval({ userId: ada, channelId: timelineId, publishAt });
    await publishAs(stack, 'thinker', event);

    const scheduled = await postOfDraft(ada, event.data.draftId);
    expect(scheduled).toMatchObject({ status: 'scheduled', channelKind: 'timeline', sentiment: { label: 'positive', score: 0.8 } });

    const published = await settled(ada, scheduled.id);
    expect(published.status).toBe('published');
    expect(new Date(published.publishedAt).getTime()).toBeGreaterThanOrEqual(publishAt.getTime());
    expect(published.url).toBe(`https://trendcast.example/timeline/ada_l#${scheduled.id}`);
    expect(published.attempts).toMatchObject([{ number: 1, outcome: 'published' }]);

    const sent = await tap.waitFor((e) => e.type === 'tweeter.post.published' && e.data.postId === scheduled.id);
    expect(sent.data).toMatchObject({ userId: ada, draftId: event.data.draftId, channel: 'timeline', url: published.url });
    expect(sent.correlationId).toBe(event.correlationId);

    const timeline = await stack.service.app!.inject({ method: 'GET', url: '/tweeter/timeline' });
    expect(timeline.statusCode).toBe(200);
    expect(timeline.json().items[0]).toMatchObject({ id: scheduled.id, handle: 'ada_l', text: 'Pizza searches doubled this week', sentiment: { label: 'positive' } });
    const own = await stack.service.app!.inject({ method: 'GET', url: '/tweeter/timeline/ADA_L' });
    expect(own.json().items.map((i: { id: string }) => i.id)).toContain(scheduled.id);
    expect((await stack.service.app!.inject({ method: 'GET', url: '/tweeter/timeline/nobody_here' })).statusCode).toBe(404);
  });

  it('when the same approval is delivered twice (and again as another event for the same draft), then there is one post, published once', async () => {
    const event = approval({ userId: ada, channelId: timelineId, publishAt: new Date(Date.now() + 500) });
    await publishAs(stack, 'thinker', event);
    await publishAs(stack, 'thinker', event);
    await publishAs(stack, 'thinker', { ...event, id: randomUUID() });
    const post = await postOfDraft(ada, event.data.draftId);
    await settled(ada, post.id);
    await sleep(1_000);
    const all = (await api('GET', '/tweeter/posts?limit=100', ada)).json().items.filter((p: { draftId: string }) => p.draftId === event.data.draftId);
    expect(all).toHaveLength(1);
    expect(eventsOf('tweeter.post.published', post.id)).toHaveLength(1);
  });

  it('when an approval names a channel of another user, then no post is made and tweeter.post.failed says why', async () => {
    const event = approval({ userId: bob, channelId: timelineId, publishAt: new Date() });
    await publishAs(stack, 'thinker', event);
    const failed = await tap.waitFor((e) => e.type === 'tweeter.post.failed' && e.data.draftId === event.data.draftId);
    expect(failed.data).toMatchObject({ userId: bob, reason: expect.stringContaining('channel') });
    expect((await api('GET', '/tweeter/posts', bob)).json().items).toHaveLength(0);
  });

  it('when a post is cancelled before its time, then it is never published', async () => {
    const created = await api('POST', '/tweeter/posts', ada, { text: 'never seen', channelId: timelineId, publishAt: new Date(Date.now() + 1_500).toISOString() });
    expect(created.statusCode).toBe(201);
    const cancelled = await api('DELETE', `/tweeter/posts/${created.json().id}`, ada);
    expect(cancelled.json().status).toBe('cancelled');
    await sleep(2_500);
    const post = (await api('GET', `/tweeter/posts/${created.json().id}`, ada)).json();
    expect(post).toMatchObject({ status: 'cancelled', publishedAt: null, attempts: [] });
    expect(eventsOf('tweeter.post.published', created.json().id)).toHaveLength(0);
    expect((await api('DELETE', `/tweeter/posts/${created.json().id}`, ada)).statusCode).toBe(409);
  });

  it('when a scheduled post is rescheduled and edited, then it goes out at the new time with the new text', async () => {
    const created = (await api('POST', '/tweeter/posts', ada, { text: 'first words', channelId: timelineId, publishAt: new Date(Date.now() + 60_000).toISOString() })).json();
    const moved = await api('PATCH', `/tweeter/posts/${created.id}`, ada, { text: 'second words', publishAt: new Date(Date.now() + 500).toISOString() });
    expect(moved.statusCode).toBe(200);
    const published = await settled(ada, created.id);
    expect(published).toMatchObject({ status: 'published', text: 'second words' });
    expect((await api('PATCH', `/tweeter/posts/${created.id}`, ada, { text: 'too late' })).statusCode).toBe(409);
  });

  describe('on Mastodon', () => {
    let channelId: string;
    let token: string;

    beforeAll(async () => {
      token = fake.issueToken('ada');
      const created = await api('POST', '/tweeter/channels', ada, { kind: 'mastodon', name: 'Ada on the fediverse', credentials: { instanceUrl: fake.origin, accessToken: token } });
      expect(created.statusCode).toBe(201);
      channelId = created.json().id;
    });

    async function postNow(text: string) {
      const created = await api('POST', '/tweeter/posts', ada, { text, channelId });
      expect(created.statusCode).toBe(201);
      return created.json().id as string;
    }

    it('when a post is due, then Mastodon gets it with the post id as Idempotency-Key and the event carries the status URL', async () => {
      const id = await postNow('Bagels are trending');
      const published = await settled(ada, id);
      const statuses = fake.statuses.filter((s) => s.idempotencyKey === id);
      expect(statuses).toHaveLength(1);
      expect(published.url).toBe(`${fake.origin}/@ada/${statuses[0]?.id}`);
      const sent = await tap.waitFor((e) => e.type === 'tweeter.post.published' && e.data.postId === id);
      expect(sent.data).toMatchObject({ channel: 'mastodon', url: published.url });
    });

    it('when Mastodon answers 429, then the post waits for X-RateLimit-Reset and is published after it', async () => {
      fake.failNext({ kind: 'rate-limited', resetInSeconds: 2 });
      const started = Date.now();
      const id = await postNow('rate limited first');
      await waitFor(async () => (await api('GET', `/tweeter/posts/${id}`, ada)).json().attempts[0]?.outcome === 'rate_limited', {
        timeoutMs: 5_000,
        what: 'the first attempt to meet the rate limit',
      });
      // Another post of the same channel, due now, waits for the same reset instead of meeting a 429 itself.
      const other = await postNow('rate limited second');
      const published = await settled(ada, id);
      expect(published.status).toBe('published');
      expect(published.attempts.map((a: { outcome: string }) => a.outcome)).toEqual(['rate_limited', 'published']);
      expect(new Date(published.publishedAt).getTime() - started).toBeGreaterThanOrEqual(1_000);
      const second = await settled(ada, other);
      expect(second.attempts.map((a: { outcome: string }) => a.outcome)).toEqual(['published']);
      expect(new Date(second.publishedAt).getTime() - started).toBeGreaterThanOrEqual(1_000);
    });

    it('when Mastodon answers 503, then the post is retried with backoff and published once', async () => {
      fake.failNext([{ kind: 'server-error', status: 503 }, { kind: 'server-error', status: 502 }]);
      const id = await postNow('temporary trouble');
      const published = await settled(ada, id);
      expect(published.attempts.map((a: { outcome: string }) => a.outcome)).toEqual(['temporary', 'temporary', 'published']);
      expect(fake.statuses.filter((s) => s.idempotencyKey === id)).toHaveLength(1);
    });

    it('when the answer never arrives, then the post is sent again with the same key and exists once', async () => {
      fake.failNext({ kind: 'no-answer' });
      const id = await postNow('did it arrive');
      const published = await settled(ada, id);
      expect(published.status).toBe('published');
      expect(published.attempts.map((a: { outcome: string }) => a.outcome)).toEqual(['unknown', 'published']);
      expect(fake.statuses.filter((s) => s.idempotencyKey === id)).toHaveLength(1);
    });

    it('when Mastodon refuses the post (422), then it fails at once with Mastodon’s reason', async () => {
      fake.failNext({ kind: 'validation', error: 'Validation failed: Text is not allowed here' });
      const id = await postNow('refused words');
      const failed = await settled(ada, id);
      expect(failed).toMatchObject({ status: 'failed', failureReason: expect.stringContaining('Text is not allowed here') });
      expect(failed.attempts).toHaveLength(1);
      const event = await tap.waitFor((e) => e.type === 'tweeter.post.failed' && e.data.postId === id);
      expect(event.data).toMatchObject({ attempts: 1, reason: expect.stringContaining('Text is not allowed here') });
    });

    it('when the token is revoked, then posts fail, the channel needs reconnection, and the user is told once', async () => {
      const first = await postNow('after revocation one');
      fake.revokeToken(token);
      const failed = await settled(ada, first);
      expect(failed.attempts.map((a: { outcome: string }) => a.outcome)).toEqual(['auth_revoked']);
      const second = await api('POST', '/tweeter/posts', ada, { text: 'after revocation two', channelId });
      expect(second.statusCode).toBe(409);
      const channels = (await api('GET', '/tweeter/channels', ada)).json().items;
      expect(channels.find((c: { id: string }) => c.id === channelId)).toMatchObject({ status: 'needs_reconnection' });
      await tap.waitFor((e) => e.type === 'tweeter.channel.reconnection_needed' && e.data.channelId === channelId);
      await sleep(500);
      expect(tap.events.filter((e) => e.type === 'tweeter.channel.reconnection_needed')).toHaveLength(1);
      const tested = (await api('POST', `/tweeter/channels/${channelId}/test`, ada)).json();
      expect(tested).toMatchObject({ ok: false });
    });

    it('then /metrics counts the posts by outcome and channel kind (tweeter_posts_total)', async () => {
      const metrics = (await stack.service.app!.inject({ method: 'GET', url: '/metrics' })).body;
      expect(metrics).toMatch(/tweeter_posts_total\{[^}]*outcome="published"[^}]*channel_kind="timeline"[^}]*\} [1-9]/);
      expect(metrics).toMatch(/tweeter_posts_total\{[^}]*outcome="published"[^}]*channel_kind="mastodon"[^}]*\} [1-9]/);
      expect(metrics).toMatch(/tweeter_posts_total\{[^}]*outcome="failed"[^}]*channel_kind="mastodon"[^}]*\} [1-9]/);
      expect(metrics).toMatch(/tweeter_posts_total\{[^}]*outcome="cancelled"[^}]*channel_kind="timeline"[^}]*\} [1-9]/);
    });

    it('then the access token appears in no API answer, no log line and no event', async () => {
      const everything = [
        ...stack.logs,
        ...tap.raw,
        (await api('GET', '/tweeter/channels', ada)).body,
        (await api('GET', '/tweeter/posts?limit=100', ada)).body,
      ].join('\n');
      expect(stack.logs.length).toBeGreaterThan(10);
      expect(everything).not.toContain(token);
      expect(everything).not.toMatch(/v1\.development\./);
    });
  });
});
