/**
 * The tweeter bench: the real service (its service.ts, on the real PostgreSQL, Redis and RabbitMQ)
 * publishing to the public timeline and to the fake Mastodon, in one run:
 *   1. burst: N posts due at the same instant → all published within 15 s, none twice;
 *   2. steady: posts becoming due at R per second → p99 lag from publishAt to the network's acceptance < 500 ms.
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { z } from 'zod';
import { outboxMessages, postAttempts, posts } from '../../apps/tweeter/src/db/schema.js';
import { createMastodonChannel, createTimelineChannel } from '../../apps/tweeter/src/use-cases/manage-channels.js';
import { startTweeter, type TweeterStack } from '../../apps/tweeter/test/support/service.js';
import type { FakeReply, FakeRequest } from './fake-process.js';

const usage = `usage: npm run bench:tweeter -- [flags]
  --burst N               posts due at the same instant, per network (default 10000)
  --rate R                posts becoming due per second in the steady phase (default 200)
  --steady-seconds S      length of the steady phase, per network (default 10)
  --mastodon-accounts N   Mastodon channels (accounts) the posts are spread over (default 50)
  --concurrency N         PUBLISH_CONCURRENCY of the worker (default 100)
  --channel-concurrency N PUBLISH_CHANNEL_CONCURRENCY (default 4)
  --networks list         timeline,mastodon (default both)`;

const positiveInt = z.coerce.number().int().positive();
const flagsSchema = z.object({
  burst: positiveInt.default(10_000),
  rate: positiveInt.default(200),
  steadySeconds: positiveInt.default(10),
  mastodonAccounts: positiveInt.default(50),
  concurrency: positiveInt.default(100),
  channelConcurrency: positiveInt.default(4),
  networks: z
    .string()
    .default('timeline,mastodon')
    .transform((s) => s.split(',').map((n) => n.trim()))
    .pipe(z.array(z.enum(['timeline', 'mastodon'])).min(1)),
});

function readFlags() {
  const names = ['burst', 'rate', 'steady-seconds', 'mastodon-accounts', 'concurrency', 'channel-concurrency', 'networks', 'help'];
  const { values } = parseArgs({ options: Object.fromEntries(names.map((name) => [name, { type: name === 'help' ? ('boolean' as const) : ('string' as const) }])) });
  if (values.help) {
    console.log(usage);
    process.exit(0);
  }
  const camel = Object.fromEntries(Object.entries(values).map(([key, value]) => [key.replace(/-(\w)/g, (_, c: string) => c.toUpperCase()), value]));
  const parsed = flagsSchema.safeParse(camel);
  if (!parsed.success) {
    console.error(`${parsed.error.issues.map((issue) => `--${String(issue.path[0])}: ${issue.message}`).join('\n')}\n\n${usage}`);
    process.exit(2);
  }
  return parsed.data;
}

const flags = readFlags();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

/** One network for one phase: a user of its own, so the phase's posts are counted by user. */
interface Network {
  name: 'timeline' | 'mastodon';
  userId: string;
  channels: Array<{ id: string; kind: 'timeline' | 'mastodon' }>;
}

interface Row {
  network: string;
  phase: string;
  posts: number;
  published: number;
  twice: number;
  p50: number;
  p99: number;
  max: number;
  verdict: string;
}

const results: Row[] = [];
let stack: TweeterStack | undefined;
let fake: ChildProcess | undefined;

/** Asks the fake's process and waits for its answer of that type. */
function askFake<T extends FakeReply['type']>(request: FakeRequest | null, type: T): Promise<Extract<FakeReply, { type: T }>> {
  return new Promise((resolve) => {
    const listener = (message: FakeReply) => {
      if (message.type !== type) return;
      fake!.off('message', listener);
      resolve(message as Extract<FakeReply, { type: T }>);
    };
    fake!.on('message', listener);
    if (request) fake!.send(request);
  });
}
let worker: ChildProcess | undefined;
const appDir = fileURLToPath(new URL('../../apps/tweeter/', import.meta.url));

/** When the network accepted each post: the fake's creation time of the status, or the timeline's publish time. */
async function acceptanceTimes(network: Network, ids: string[]): Promise<Map<string, number[]>> {
  const times = new Map<string, number[]>();
  const idSet = new Set(ids);
  if (network.name === 'mastodon') {
    const { statuses } = await askFake({ type: 'statuses' }, 'statuses');
    for (const status of statuses) {
      if (!status.key || !idSet.has(status.key)) continue;
      times.set(status.key, [...(times.get(status.key) ?? []), status.createdAt]);
    }
    return times;
  }
  const db = stack!.service.deps.db;
  for (let i = 0; i < ids.length; i += 5_000) {
    const rows = await db.select({ id: posts.id, publishedAt: posts.publishedAt }).from(posts).where(inArray(posts.id, ids.slice(i, i + 5_000)));
    for (const row of rows) if (row.publishedAt) times.set(row.id, [row.publishedAt.getTime()]);
  }
  return times;
}

/** Published twice would show as two statuses with one key (Mastodon), two published attempts or two published events (both). */
async function duplicates(network: Network, ids: string[], accepted: Map<string, number[]>): Promise<number> {
  const db = stack!.service.deps.db;
  let twice = [...accepted.values()].filter((list) => list.length > 1).length;
  for (let i = 0; i < ids.length; i += 5_000) {
    const chunk = ids.slice(i, i + 5_000);
    const attempts = await db
      .select({ postId: postAttempts.postId, n: sql<number>`count(*)::int` })
      .from(postAttempts)
      .where(and(inArray(postAttempts.postId, chunk), eq(postAttempts.outcome, 'published')))
      .groupBy(postAttempts.postId);
    twice += attempts.filter((a) => a.n > 1).length;
    const events = await db
      .select({ postId: sql<string>`${outboxMessages.payload}->'data'->>'postId'`, n: sql<number>`count(*)::int` })
      .from(outboxMessages)
      .where(and(eq(outboxMessages.type, 'tweeter.post.published'), inArray(sql`${outboxMessages.payload}->'data'->>'postId'`, chunk)))
      .groupBy(sql`${outboxMessages.payload}->'data'->>'postId'`);
    twice += events.filter((e) => e.n > 1).length;
  }
  void network;
  return twice;
}

/** Posts of the phase's user that are published, and that are still waiting or going out. */
async function progress(network: Network): Promise<{ published: number; pending: number }> {
  const db = stack!.service.deps.db;
  const rows = await db
    .select({ status: posts.status, n: sql<number>`count(*)::int` })
    .from(posts)
    .where(eq(posts.userId, network.userId))
    .groupBy(posts.status);
  const count = (status: string) => rows.find((r) => r.status === status)?.n ?? 0;
  return { published: count('published'), pending: count('scheduled') + count('publishing') };
}

/** Waits until nothing of the phase is left to publish (so the next phase runs alone), within `deadlineMs`. */
async function drain(network: Network, deadline: number): Promise<number> {
  let state = await progress(network);
  while (state.pending > 0 && Date.now() < deadline) {
    await sleep(250);
    state = await progress(network);
  }
  return state.published;
}

/**
 * Writes the posts and queues their jobs as the service does when it schedules them (rows, then a
 * delayed job per post, job id = post id), ahead of their times: the phases measure the publishing.
 */
async function schedule(network: Network, dueAtOf: (i: number) => Date, count: number, label: string): Promise<{ ids: string[]; due: Map<string, number> }> {
  const { deps } = stack!.service;
  const ids: string[] = [];
  const due = new Map<string, number>();
  const rows = Array.from({ length: count }, (_, i) => {
    const channel = network.channels[i % network.channels.length]!;
    const id = randomUUID();
    const publishAt = dueAtOf(i);
    ids.push(id);
    due.set(id, publishAt.getTime());
    return { id, userId: network.userId, channelId: channel.id, channelKind: channel.kind, text: `${label} ${i} on ${network.name}`, status: 'scheduled' as const, publishAt, correlationId: id };
  });
  for (let i = 0; i < rows.length; i += 1_000) await deps.db.insert(posts).values(rows.slice(i, i + 1_000));
  for (let i = 0; i < rows.length; i += 2_000) await deps.queue.enqueueMany(rows.slice(i, i + 2_000).map((row) => ({ postId: row.id, at: row.publishAt })));
  const first = Math.min(...due.values());
  if (Date.now() > first) console.log(`  (setup overran the first due time by ${Date.now() - first} ms)`);
  return { ids, due };
}

/** Lag of each post: when the network accepted it, less its publishAt (the first acceptance, if there were two). */
function lagsOf(accepted: Map<string, number[]>, due: Map<string, number>): number[] {
  return [...accepted.entries()].map(([id, list]) => Math.min(...list) - (due.get(id) ?? Number.NaN)).sort((a, b) => a - b);
}

/** N posts, spread over the network's channels, all due at one instant. */
async function burst(network: Network): Promise<void> {
  const leadMs = 3_000 + Math.ceil(flags.burst / 2_000) * 1_000;
  const dueAt = new Date(Date.now() + leadMs);
  const { ids, due } = await schedule(network, () => dueAt, flags.burst, 'burst post');
  const published = await drain(network, dueAt.getTime() + 300_000);
  const accepted = await acceptanceTimes(network, ids);
  const lags = lagsOf(accepted, due);
  const lastMs = lags.at(-1) ?? Number.NaN;
  const twice = await duplicates(network, ids, accepted);
  results.push({
    network: network.name,
    phase: `burst: ${flags.burst} due at once`,
    posts: ids.length,
    published,
    twice,
    p50: percentile(lags, 50),
    p99: percentile(lags, 99),
    max: lastMs,
    verdict: published === ids.length && twice === 0 && lastMs < 15_000 ? 'PASS (all within 15 s, none twice)' : 'FAIL (target: all within 15 s, none twice)',
  });
  console.log(`  ${network.name} burst done: ${published}/${ids.length} published, the last ${lastMs} ms after the due time`);
}

/** R posts becoming due every second for S seconds. */
async function steady(network: Network): Promise<void> {
  const total = flags.rate * flags.steadySeconds;
  const start = Date.now() + 3_000 + Math.ceil(total / 2_000) * 1_000;
  const { ids, due } = await schedule(network, (i) => new Date(start + Math.floor((i * 1_000) / flags.rate)), total, 'steady post');
  const published = await drain(network, start + flags.steadySeconds * 1_000 + 300_000);
  const accepted = await acceptanceTimes(network, ids);
  const lags = lagsOf(accepted, due);
  const twice = await duplicates(network, ids, accepted);
  const p99 = percentile(lags, 99);
  results.push({
    network: network.name,
    phase: `steady: ${flags.rate}/s due for ${flags.steadySeconds} s`,
    posts: ids.length,
    published,
    twice,
    p50: percentile(lags, 50),
    p99,
    max: lags.at(-1) ?? Number.NaN,
    verdict: published === ids.length && twice === 0 && p99 < 500 ? 'PASS (p99 lag < 500 ms)' : 'FAIL (target: p99 lag < 500 ms)',
  });
  console.log(`  ${network.name} steady done: ${published}/${ids.length} published, p99 lag ${p99} ms`);
}

try {
  fake = fork(fileURLToPath(new URL('./fake-process.ts', import.meta.url)), [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, FAKE_ACCOUNTS: String(flags.mastodonAccounts) },
  });
  const { origin, tokens } = await askFake(null, 'ready');
  const workerEnv = {
    LOG_LEVEL: 'warn',
    PUBLISH_CONCURRENCY: String(flags.concurrency),
    PUBLISH_CHANNEL_CONCURRENCY: String(flags.channelConcurrency),
    PUBLISH_LEASE_MS: '60000',
    OUTBOUND_TIMEOUT_MS: '15000',
    WORKER_LOCK_DURATION_MS: '30000',
    WORKER_STALLED_INTERVAL_MS: '30000',
    RECONCILE_INTERVAL_MS: '10000',
    RECONCILE_LOOKAHEAD_MS: '60000',
    DATABASE_POOL_MAX: '20',
  };
  // This process schedules the posts and reads the results; the publish worker is the real entry
  // point (src/main.ts) in a process of its own, as deployed, and the fake Mastodon has its own too.
  stack = await startTweeter({ env: { ...workerEnv, TWEETER_RUN_WORKER: 'false' } });
  worker = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: appDir,
    env: { ...process.env, ...stack.env, TWEETER_RUN_API: 'false', TWEETER_RUN_WORKER: 'true' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  await sleep(3_000);
  const { deps } = stack.service;
  let phase = 0;
  /** Fresh channels (and a user of their own) for one phase. */
  const networkFor = async (name: Network['name']): Promise<Network> => {
    phase += 1;
    const userId = randomUUID();
    if (name === 'timeline') {
      const channel = await createTimelineChannel(deps, { userId, name: 'Bench timeline', handle: `bench_timeline_${phase}` });
      return { name, userId, channels: [{ id: channel.id, kind: 'timeline' }] };
    }
    const channels: Network['channels'] = [];
    for (let i = 0; i < flags.mastodonAccounts; i += 1) {
      const channel = await createMastodonChannel(deps, { userId, name: `Bench ${i}`, instanceUrl: origin, accessToken: tokens[i]! });
      channels.push({ id: channel.id, kind: 'mastodon' });
    }
    return { name, userId, channels };
  };
  console.log(
    `tweeter bench: burst ${flags.burst} per network, steady ${flags.rate}/s for ${flags.steadySeconds} s; worker (own process) concurrency ${flags.concurrency}, ` +
      `per channel ${flags.channelConcurrency}; timeline: 1 channel; Mastodon: ${flags.mastodonAccounts} accounts on the fake (its own process)`,
  );
  // The steady rate first, on a quiet system; then the bursts. Each phase drains before the next.
  for (const name of flags.networks) await steady(await networkFor(name));
  for (const name of flags.networks) await burst(await networkFor(name));
} finally {
  console.log('');
  console.table(
    results.map((r) => ({
      network: r.network,
      phase: r.phase,
      'published/posts': `${r.published}/${r.posts}`,
      twice: r.twice,
      'lag p50 ms': r.p50,
      'lag p99 ms': r.p99,
      'lag max ms': r.max,
      verdict: r.verdict,
    })),
  );
  console.log('lag = when the network accepted the post (the fake\'s status time; the timeline\'s publish time) minus the post\'s publishAt.');
  if (worker && worker.exitCode === null) {
    worker.kill('SIGTERM');
    await once(worker, 'exit');
  }
  await stack?.close();
  if (fake && fake.exitCode === null) {
    fake.send({ type: 'close' } satisfies FakeRequest);
    await once(fake, 'exit');
  }
}
process.exit(results.length > 0 && results.every((r) => r.verdict.startsWith('PASS')) ? 0 : 1);
