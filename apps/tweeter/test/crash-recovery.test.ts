import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { startFakeMastodon, type FakeMastodon } from '@trendcast/fakes';
import { sleep, waitFor } from '@trendcast/testing';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postAttempts, posts } from '../src/db/schema.js';
import { removeRedisKeys, startTweeter, tapEvents, type EventTap, type TweeterStack } from './support/service.js';

const appDir = fileURLToPath(new URL('..', import.meta.url));

/** The real entry point (src/main.ts) as a worker-only process. */
function startWorkerProcess(env: Record<string, string>): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: appDir,
    env: { ...process.env, ...env, TWEETER_RUN_API: 'false', TWEETER_RUN_WORKER: 'true', LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return { child, output: () => output };
}

describe('crashes and lost jobs: every post still published exactly once', () => {
  let stack: TweeterStack;
  let tap: EventTap;
  let fake: FakeMastodon;
  const children: ChildProcess[] = [];
  const ada = randomUUID();
  let timelineId: string;
  let mastodonId: string;

  beforeAll(async () => {
    // This process serves the API only; workers run as separate processes (or are started in-process below).
    stack = await startTweeter({ env: { TWEETER_RUN_WORKER: 'false' } });
    tap = await tapEvents(stack);
    fake = await startFakeMastodon({ accounts: ['ada'], rateLimit: { limit: 100_000, periodSeconds: 300 } });
    timelineId = (await api('POST', '/tweeter/channels', { kind: 'timeline', name: 'Ada', handle: 'ada_crash' })).json().id;
    const created = await api('POST', '/tweeter/channels', { kind: 'mastodon', name: 'Ada M', credentials: { instanceUrl: fake.origin, accessToken: fake.issueToken('ada') } });
    expect(created.statusCode).toBe(201);
    mastodonId = created.json().id;
  });

  afterAll(async () => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    await tap?.close();
    await stack?.close();
    await fake?.close();
  });

  async function api(method: 'GET' | 'POST', url: string, payload?: object) {
    return stack.service.app!.inject({ method, url, headers: await stack.headersFor(ada), ...(payload ? { payload } : {}) });
  }

  const db = () => stack.service.deps.db;
  const publishedEvents = (postId: string) => tap.events.filter((e) => e.type === 'tweeter.post.published' && e.data.postId === postId);

  async function stopChild(child: ChildProcess) {
    if (child.exitCode !== null) return;
    child.kill('SIGTERM');
    await once(child, 'exit');
  }

  it('when the worker is SIGKILLed while Mastodon holds the request, then a new worker publishes the post once, with the same Idempotency-Key', async () => {
    fake.failNext({ kind: 'no-answer' });
    const id = (await api('POST', '/tweeter/posts', { text: 'survives a crash', channelId: mastodonId })).json().id as string;
    const first = startWorkerProcess({ ...stack.env, OUTBOUND_TIMEOUT_MS: '60000' });
    children.push(first.child);

    await waitFor(
      async () => {
        const [post] = await db().select().from(posts).where(eq(posts.id, id));
        return post?.status === 'publishing' && fake.requestsTo('statuses').some((r) => r.headers['idempotency-key'] === id);
      },
      { timeoutMs: 20_000, what: `the first worker to send the post (output: ${first.output()})` },
    );
    first.child.kill('SIGKILL');
    await once(first.child, 'exit');
    expect(fake.statuses.filter((s) => s.idempotencyKey === id)).toHaveLength(1);

    const second = startWorkerProcess(stack.env);
    children.push(second.child);
    const published = await waitFor(
      async () => {
        const [post] = await db().select().from(posts).where(eq(posts.id, id));
        return post?.status === 'published' ? post : undefined;
      },
      { timeoutMs: 30_000, what: `the second worker to publish the post (output: ${second.output()})` },
    );
    const statuses = fake.statuses.filter((s) => s.idempotencyKey === id);
    expect(statuses).toHaveLength(1);
    expect(published.url).toBe(`${fake.origin}/@ada/${statuses[0]?.id}`);
    const attempts = await db().select().from(postAttempts).where(eq(postAttempts.postId, id));
    expect(attempts.map((a) => a.outcome).sort()).toEqual(['published', 'unknown']);
    await tap.waitFor((e) => e.type === 'tweeter.post.published' && e.data.postId === id);
    await sleep(500);
    expect(publishedEvents(id)).toHaveLength(1);
    await stopChild(second.child);
  });

  it('when a timeline post was left publishing by a dead worker, then it is checked, published once, and its lost attempt is recorded as unknown', async () => {
    const id = (await api('POST', '/tweeter/posts', { text: 'left mid-flight', channelId: timelineId, publishAt: new Date(Date.now() + 60_000).toISOString() })).json().id as string;
    const sentAt = new Date(Date.now() - 10_000);
    // What a worker that died after claiming leaves behind: the claim, an open attempt, no job.
    await db().update(posts).set({ status: 'publishing', claimedAt: sentAt, attemptCount: 1, publishAt: sentAt }).where(eq(posts.id, id));
    await db().insert(postAttempts).values({ postId: id, number: 1, startedAt: sentAt });
    await stack.service.deps.queue.remove(id);

    const worker = startWorkerProcess(stack.env);
    children.push(worker.child);
    await waitFor(
      async () => {
        const [post] = await db().select().from(posts).where(eq(posts.id, id));
        return post?.status === 'published' ? post : undefined;
      },
      { timeoutMs: 20_000, what: `the reconciler and worker to take the post over (output: ${worker.output()})` },
    );
    const attempts = await db().select().from(postAttempts).where(eq(postAttempts.postId, id));
    expect(attempts.map((a) => [a.number, a.outcome])).toEqual([
      [1, 'unknown'],
      [2, 'published'],
    ]);
    await tap.waitFor((e) => e.type === 'tweeter.post.published' && e.data.postId === id);
    await sleep(300);
    expect(publishedEvents(id)).toHaveLength(1);
    await stopChild(worker.child);
  });

  it('when this run’s Redis keys are deleted while posts are scheduled, then every post is still published, once', async () => {
    const publishAt = new Date(Date.now() + 4_000).toISOString();
    const ids: string[] = [];
    for (let i = 0; i < 20; i += 1) ids.push((await api('POST', '/tweeter/posts', { text: `timeline ${i}`, channelId: timelineId, publishAt })).json().id);
    for (let i = 0; i < 5; i += 1) ids.push((await api('POST', '/tweeter/posts', { text: `mastodon ${i}`, channelId: mastodonId, publishAt })).json().id);
    const worker = startWorkerProcess(stack.env);
    children.push(worker.child);
    await sleep(1_000);

    // Only this run's prefix (the shared Redis is never flushed).
    expect(await removeRedisKeys(stack.config.TWEETER_REDIS_PREFIX)).toBeGreaterThan(0);

    await waitFor(
      async () => {
        const rows = await Promise.all(ids.map(async (id) => (await db().select({ status: posts.status }).from(posts).where(eq(posts.id, id)))[0]?.status));
        return rows.every((status) => status === 'published');
      },
      { timeoutMs: 30_000, what: `all ${ids.length} posts to be published (output: ${worker.output()})` },
    );
    await sleep(1_000);
    for (const id of ids) expect(publishedEvents(id)).toHaveLength(1);
    const mastodonIds = ids.slice(20);
    for (const id of mastodonIds) expect(fake.statuses.filter((s) => s.idempotencyKey === id)).toHaveLength(1);
    await stopChild(worker.child);
  });
});
