import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { linkTo } from '../support/mail-catcher.js';
import { serviceDefinitions } from '../support/services.js';
import { startStack, type Stack } from '../support/stack.js';
import { ApiClient, eventually } from './api-client.js';

/**
 * The whole journey as an API client meets it, through NGINX: every service from its own code on
 * the real servers; fakes stand in only for Google Trends and Mastodon (thinker writes offline).
 * Sign up → confirm from the mail → sign in → a search that asks for drafts → drafts → approve one
 * for the public timeline and one for a Mastodon channel connected through the instance's OAuth
 * flow → both published, the mails about it → the account deleted, and nothing of it left in any
 * service's database.
 */
let stack: Stack;
let api: ApiClient;
const email = `grace.${Date.now().toString(36)}@example.org`;
const password = 'a journey through every service';
const handle = `grace${Date.now().toString(36)}`;
let userId = '';
let timelineChannelId = '';
let mastodonChannelId = '';
let drafts: { id: string; text: string; status: string; sentiment: { label: string; score: number } }[] = [];

beforeAll(async () => {
  const { users, trends, thinker, tweeter, notifier } = serviceDefinitions;
  stack = await startStack({ services: [users, trends, thinker, tweeter, notifier] });
  api = new ApiClient(stack.baseUrl);
}, 240_000);

afterAll(async () => {
  await stack?.stop();
});

function step(name: string, run: () => Promise<void>, timeoutMs = 60_000) {
  it(
    name,
    async () => {
      try {
        await run();
      } catch (error) {
        throw new Error(`${error instanceof Error ? error.message : String(error)}\n\n${stack.logs()}`, { cause: error });
      }
    },
    timeoutMs,
  );
}

describe('an API client, from sign-up to account deletion', () => {
  step('when someone registers and follows the emailed link, then they can sign in', async () => {
    const registered = await api.send('POST', '/api/users/register', { email, password, displayName: 'Grace Hopper' }, 201);
    userId = registered.id;
    const mail = await stack.mail.waitFor({ to: email, subject: /Confirm your email/ });
    const token = linkTo(mail, '/verify-email').searchParams.get('token');
    expect(token).toBeTruthy();
    await api.send('POST', '/api/users/verify-email', { token }, 204);
    const session = await api.send('POST', '/api/users/login', { email, password }, 200);
    api.signIn(session.accessToken);
    expect((await api.send('GET', '/api/users/me', undefined, 200)).emailVerified).toBe(true);
  });

  step('when they search with drafts asked for, then the search completes and thinker writes the drafts', async () => {
    const started = await api.send('POST', '/api/trends/searches', {
      keywords: ['pizza'],
      timeframe: 'past-12-months',
      generate: { count: 3, tone: 'witty', channel: 'timeline' },
    }, 202);
    await eventually(async () => expect((await api.send('GET', `/api/trends/searches/${started.id}`, undefined, 200)).status).toBe('completed'), 45_000);

    drafts = await eventually(async () => {
      const page = await api.send('GET', '/api/thinker/drafts?limit=100', undefined, 200);
      expect(page.items).toHaveLength(3);
      return page.items;
    }, 45_000);
    for (const draft of drafts) {
      expect(draft.status).toBe('draft');
      expect(draft.text.length).toBeGreaterThan(0);
      expect(['negative', 'neutral', 'positive']).toContain(draft.sentiment.label);
    }
    const mail = await stack.mail.waitFor({ to: email, subject: /new drafts? (is|are) ready/ });
    expect(linkTo(mail, '/drafts').href).toContain(stack.baseUrl);
  });

  step('when they ask for drafts on a topic, then the generation is accepted and completes offline', async () => {
    const generation = await api.send('POST', '/api/thinker/generations', { topic: 'Sourdough pizza at home', count: 2, tone: 'informative', channel: 'mastodon' }, 202);
    const done = await eventually(async () => {
      const current = await api.send('GET', `/api/thinker/generations/${generation.id}`, undefined, 200);
      expect(current.status).toBe('completed');
      return current;
    }, 45_000);
    expect(done.drafts).toHaveLength(2);
    expect(done.model).toBe('offline');
  });

  step('when the input is wrong, then every service answers a 4xx JSON error', async () => {
    for (const [method, path, body] of [
      ['POST', '/api/thinker/generations', { topic: 'x', count: 11, tone: 'witty', channel: 'timeline' }],
      ['POST', '/api/thinker/generations', { topic: '', count: 1, tone: 'witty', channel: 'timeline' }],
      ['POST', '/api/thinker/generations', { topic: 'a'.repeat(10_000), count: 1, tone: 'witty', channel: 'timeline' }],
      ['POST', '/api/thinker/generations', { topic: 'pizza', count: 1, tone: 'witty', channel: 'myspace' }],
      ['POST', '/api/tweeter/posts', { text: 'hello', channelId: 'not-a-uuid' }],
      ['POST', '/api/tweeter/channels', { kind: 'fax', name: 'x' }],
    ] as const) {
      const response = await api.raw(method, path, body);
      expect(response.status, `${method} ${path}`).toBeGreaterThanOrEqual(400);
      expect(response.status, `${method} ${path}`).toBeLessThan(500);
      expect(response.headers.get('content-type')).toMatch(/application\/(problem\+)?json/);
    }
  });

  step('when they create a timeline channel and connect Mastodon through its OAuth pages, then both are listed', async () => {
    timelineChannelId = (await api.send('POST', '/api/tweeter/channels', { kind: 'timeline', name: 'My timeline', handle }, 201)).id;

    const started = await api.raw('POST', '/api/tweeter/channels/mastodon/authorize', { instanceUrl: stack.mastodonOrigin, name: 'Mastodon' });
    expect(started.status).toBe(200);
    const { authorizeUrl } = (await started.json()) as { authorizeUrl: string };
    // The flow is bound to the browser that started it: the callback must bring back its cookie.
    const binding = started.headers.getSetCookie().map((cookie) => cookie.split(';')[0]).join('; ');
    expect(binding).not.toBe('');
    // The instance approves at once and sends the browser back to tweeter's callback through the gateway.
    const approved = await fetch(authorizeUrl, { redirect: 'manual' });
    expect(approved.status).toBe(302);
    const callback = new URL(approved.headers.get('location')!);
    expect(callback.origin).toBe(new URL(stack.baseUrl).origin);
    const stranger = await fetch(callback, { redirect: 'manual' });
    expect(new URL(stranger.headers.get('location')!, stack.baseUrl).searchParams.get('connected')).toBeNull();
    const back = await fetch(callback, { redirect: 'manual', headers: { cookie: binding } });
    expect([302, 303]).toContain(back.status);
    const landing = new URL(back.headers.get('location')!, stack.baseUrl);
    expect(landing.pathname).toBe('/channels');
    expect(landing.searchParams.get('connected')).toMatch(/^[0-9a-f-]{36}$/);

    const channels = (await api.send('GET', '/api/tweeter/channels', undefined, 200)).items;
    const mastodon = channels.find((channel: { kind: string }) => channel.kind === 'mastodon');
    expect(mastodon).toMatchObject({ status: 'active', maxCharacters: 500 });
    mastodonChannelId = mastodon.id;
    expect(JSON.stringify(channels)).not.toMatch(/accessToken|access_token|clientSecret|client_secret/i);
    expect((await api.send('POST', `/api/tweeter/channels/${mastodonChannelId}/test`, undefined, 200)).ok).toBe(true);
  });

  step('when they approve one draft for the timeline and one for Mastodon, then both are published once, with mails', async () => {
    const [forTimeline, forMastodon] = drafts;
    const publishAt = new Date(Date.now() + 4_000).toISOString();
    await approve(forTimeline!.id, { channelId: timelineChannelId, publishAt });
    await approve(forMastodon!.id, { channelId: mastodonChannelId, publishAt });

    const published = await eventually(async () => {
      const posts = (await api.send('GET', '/api/tweeter/posts?limit=50', undefined, 200)).items;
      expect(posts).toHaveLength(2);
      for (const post of posts) expect(post.status).toBe('published');
      return posts;
    }, 45_000);
    // Published at the time asked for, not before it.
    for (const post of published) expect(Date.parse(post.publishedAt)).toBeGreaterThanOrEqual(Date.parse(publishAt));
    const onMastodon = published.find((post: { channelId: string }) => post.channelId === mastodonChannelId);
    expect(onMastodon.url).toMatch(new RegExp(`^${stack.mastodonOrigin}/@ada/\\d+$`));
    expect(onMastodon.text).toBe(forMastodon!.text);

    const timeline = (await fetch(`${stack.baseUrl}/api/tweeter/timeline/${handle}`).then((r) => r.json())) as { items: { text: string }[] };
    expect(timeline.items.map((entry) => entry.text)).toEqual([forTimeline!.text]);

    // thinker hears of the publication: the drafts are marked published.
    await eventually(async () => {
      const current = await api.send('GET', `/api/thinker/drafts/${forMastodon!.id}`, undefined, 200);
      expect(current.status).toBe('published');
    }, 30_000);
    const live = await eventually(async () => {
      const mails = stack.mail.mails.filter((mail) => mail.to.includes(email) && /Your post is live on/.test(mail.subject));
      expect(mails).toHaveLength(2);
      return mails;
    }, 30_000);
    expect(live.map((mail) => mail.text).join('\n')).toContain(onMastodon.url);
  }, 120_000);

  step('when they delete their account, then no service keeps a row of theirs, and the old token writes nothing', async () => {
    const token = api.token;
    await api.send('DELETE', '/api/users/me', { password }, 204);
    await eventually(async () => expect(await rowsOf(userId)).toEqual({}), 30_000);

    // The access token outlives the account by up to its lifetime: every service refuses its writes.
    api.signIn(token!);
    const lateDraftEdit = await api.raw('PATCH', `/api/thinker/drafts/${drafts[2]!.id}`, { text: 'too late' });
    expect([401, 403, 404, 410]).toContain(lateDraftEdit.status);
    const latePost = await api.raw('POST', '/api/tweeter/posts', { text: 'too late', channelId: timelineChannelId });
    expect([401, 403, 404, 410]).toContain(latePost.status);
    const lateWatch = await api.raw('POST', '/api/trends/watches', { keywords: ['pizza'], every: '1d', timezone: 'UTC' });
    expect([401, 403, 410]).toContain(lateWatch.status);
    expect(await rowsOf(userId)).toEqual({});
  }, 90_000);
});

async function approve(draftId: string, body: { channelId: string; publishAt: string }): Promise<void> {
  const response = await api.raw('POST', `/api/thinker/drafts/${draftId}/approve`, body);
  // A draft the scorer found negative asks for the explicit override, as a person would give it.
  if (response.status === 409 || response.status === 422) {
    await api.send('POST', `/api/thinker/drafts/${draftId}/approve`, { ...body, override: true }, 200);
    return;
  }
  expect(response.status, await response.clone().text()).toBe(200);
}

/** Rows naming the user in every table of every SQL service, tombstones aside: `{ "thinker.drafts": 2 }`. */
async function rowsOf(id: string): Promise<Record<string, number>> {
  const left: Record<string, number> = {};
  for (const [service, url] of Object.entries(stack.databaseUrls)) {
    const sql = postgres(url!, { max: 1, onnotice: () => undefined });
    try {
      const tables = await sql<{ table_name: string; column_name: string }[]>`
        select table_name, column_name from information_schema.columns
        where table_schema = 'public' and column_name in ('user_id', 'id') and table_name not like '%tombstone%' and table_name not like '%erased%'`;
      for (const { table_name: table, column_name: column } of tables) {
        if (column === 'id' && table !== 'users') continue;
        const [row] = await sql<{ n: number }[]>`select count(*)::int as n from ${sql(table)} where ${sql(column)}::text = ${id}`;
        if (row!.n > 0) left[`${service}.${table}`] = row!.n;
      }
    } finally {
      await sql.end();
    }
  }
  return left;
}
