import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { randomUUID } from 'node:crypto';
import type { DomainEvent } from '@trendcast/events';
import { waitFor } from '@trendcast/testing';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { searches } from '../src/db/schema.js';
import { producerExchangeName } from '@trendcast/messaging';
import { tapExchange, type EventTap } from './support/event-tap.js';
import { startTestStack, type TestStack } from './support/service.js';

const appDir = fileURLToPath(new URL('..', import.meta.url));

/** The real service entry point (src/main.ts) as a worker-only process. */
function startWorkerProcess(env: Record<string, string>): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: appDir,
    env: { ...process.env, ...env, TRENDS_RUN_API: 'false', TRENDS_RUN_WORKER: 'true', LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return { child, output: () => output };
}

describe('a worker killed mid-job', () => {
  let stack: TestStack;
  let tap: EventTap;
  const children: ChildProcess[] = [];
  const user = randomUUID();

  beforeAll(async () => {
    // This process serves the API only; workers run as separate processes.
    stack = await startTestStack({ env: { TRENDS_RUN_WORKER: 'false' } });
    tap = await tapExchange(producerExchangeName('trends', stack.config.RABBITMQ_NAMESPACE), 'trends.search.completed');
  });

  afterAll(async () => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    await stack?.close();
    await tap?.close();
  });

  it('when the worker is SIGKILLed while Google is slow to answer, then a new worker takes the search over and completes it', async () => {
    stack.fake.delayAnswers(60_000, 'explore');
    const response = await stack.service.app!.inject({
      method: 'POST',
      url: '/trends/searches',
      headers: await stack.auth.headersFor(user),
      payload: { keywords: ['pizza', 'bagel'], startTime: '2021-01-01', endTime: '2021-01-05' },
    });
    const { id } = response.json();
    const db = stack.service.deps.db;
    const first = startWorkerProcess(stack.env);
    children.push(first.child);

    // The first worker has the job and is waiting for Google.
    await waitFor(async () => {
      const [search] = await db.select().from(searches).where(eq(searches.id, id));
      return search?.status === 'running' && stack.fake.requestsTo('/trends/api/explore').length > 0;
    }, { timeoutMs: 20_000, what: `the first worker to start the search (output: ${first.output()})` });

    first.child.kill('SIGKILL');
    await once(first.child, 'exit');
    expect(first.child.signalCode).toBe('SIGKILL');
    stack.fake.delayAnswers(0);
    const [afterKill] = await db.select().from(searches).where(eq(searches.id, id));
    expect(afterKill?.status).toBe('running');

    const second = startWorkerProcess(stack.env);
    children.push(second.child);

    const completed = await waitFor(
      async () => {
        const [search] = await db.select().from(searches).where(eq(searches.id, id));
        return search?.status === 'completed' ? search : undefined;
      },
      { timeoutMs: 40_000, what: `a new worker to complete the search (output: ${second.output()})` },
    );
    expect(completed.completedAt).not.toBeNull();
    expect(stack.fake.requestsTo('/trends/api/explore').length).toBeGreaterThanOrEqual(2);
    const event = await tap.waitFor(
      (e): e is DomainEvent<'trends.search.completed'> => e.type === 'trends.search.completed' && e.data.searchId === id,
    );
    expect(event.data.summary.peaks.length).toBeGreaterThan(0);

    // And the worker process shuts down cleanly on SIGTERM.
    second.child.kill('SIGTERM');
    const [code] = await once(second.child, 'exit');
    expect(code).toBe(0);
  });
});
