import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { DomainEvent } from '@trendcast/events';
import { startFakeOllama, type FakeOllama } from '@trendcast/fakes';
import { sleep, waitFor } from '@trendcast/testing';
import { eq } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drafts, generations } from '../../src/db/schema.js';
import { processGeneration } from '../../src/use-cases/process-generation.js';
import { answerWithDrafts } from '../support/fake-model.js';
import { catchEvents, type CaughtEvents } from '../support/events.js';
import { startThinker, type ThinkerStack } from '../support/service.js';

const appDir = fileURLToPath(new URL('../..', import.meta.url));

/** The real entry point (src/main.ts) as a worker-only process. */
function startWorkerProcess(env: Record<string, string>): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: appDir,
    env: { ...process.env, ...env, THINKER_RUN_API: 'false', THINKER_RUN_WORKER: 'true', LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return { child, output: () => output };
}

describe('a generation whose worker is killed mid-job', () => {
  let fake: FakeOllama;
  let stack: ThinkerStack;
  let out: CaughtEvents;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    fake = await startFakeOllama();
    // This process serves the API only; workers run as separate processes of main.ts.
    stack = await startThinker({ env: { THINKER_RUN_WORKER: 'false', OLLAMA_HOST: fake.url, OLLAMA_MODEL: 'llama3.2:1b', OLLAMA_TIMEOUT_MS: '120000' } });
    out = await catchEvents(stack.exchangeOf('thinker'));
  });

  afterAll(async () => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    await out?.close();
    await stack?.close();
    await fake?.close();
  });

  it('when the worker is SIGKILLed while the model is slow to answer, then a new worker completes the generation exactly once', async () => {
    answerWithDrafts(fake, { delayMs: 60_000 });
    const user = randomUUID();
    const accepted = await stack.service.app!.inject({
      method: 'POST',
      url: '/thinker/generations',
      headers: await stack.signer.headersFor(user),
      payload: { topic: 'pizza in 2021', count: 3 },
    });
    const { id } = accepted.json();
    const db = stack.service.deps.db;
    const first = startWorkerProcess(stack.env);
    children.push(first.child);

    await waitFor(
      async () => {
        const [generation] = await db.select().from(generations).where(eq(generations.id, id));
        return generation?.status === 'running' && fake.generationRequests().length > 0;
      },
      { timeoutMs: 30_000, what: `the first worker to ask the model (output: ${first.output()})` },
    );
    first.child.kill('SIGKILL');
    await once(first.child, 'exit');
    expect(first.child.signalCode).toBe('SIGKILL');
    const [afterKill] = await db.select().from(generations).where(eq(generations.id, id));
    expect(afterKill?.status).toBe('running');

    answerWithDrafts(fake);
    const second = startWorkerProcess(stack.env);
    children.push(second.child);
    const completed = await waitFor(
      async () => {
        const [generation] = await db.select().from(generations).where(eq(generations.id, id));
        return generation?.status === 'completed' ? generation : undefined;
      },
      { timeoutMs: 40_000, what: `the second worker to complete the generation (output: ${second.output()})` },
    );
    expect(completed.model).toBe('llama3.2:1b');
    expect(completed.attempts).toBeGreaterThanOrEqual(2);
    await out.next((e) => e.type === 'thinker.drafts.generated' && (e as DomainEvent<'thinker.drafts.generated'>).data.generationId === id, 'the announcement');
    await sleep(1_000);
    expect(await db.select().from(drafts).where(eq(drafts.generationId, id))).toHaveLength(3);
    expect(out.ofType('thinker.drafts.generated').filter((e) => (e as DomainEvent<'thinker.drafts.generated'>).data.generationId === id)).toHaveLength(1);

    second.child.kill('SIGTERM');
    await once(second.child, 'exit');
    expect(second.child.exitCode).toBe(0);
  });

  it('when two runs of the same generation race, then one stores the drafts and the other writes nothing', async () => {
    answerWithDrafts(fake, { delayMs: 200 });
    const { id } = (
      await stack.service.app!.inject({
        method: 'POST',
        url: '/thinker/generations',
        headers: await stack.signer.headersFor(randomUUID()),
        payload: { topic: 'pizza', count: 2 },
      })
    ).json();
    const runs = await Promise.all([1, 2].map(() => processGeneration(stack.service.deps, { generationId: id })));
    expect(runs.map((run) => run.outcome).sort()).toEqual(['completed', 'skipped']);
    const db = stack.service.deps.db;
    expect(await db.select().from(drafts).where(eq(drafts.generationId, id))).toHaveLength(2);
    await out.next((e) => e.type === 'thinker.drafts.generated' && (e as DomainEvent<'thinker.drafts.generated'>).data.generationId === id, 'the announcement');
    await sleep(500);
    expect(out.ofType('thinker.drafts.generated').filter((e) => (e as DomainEvent<'thinker.drafts.generated'>).data.generationId === id)).toHaveLength(1);
  });

  it('when the service stops while the model hangs, then stop() resolves within SHUTDOWN_TIMEOUT_MS, the model request is aborted, and the generation is left to run again', async () => {
    const hanging = await startFakeOllama();
    hanging.respondWith(() => ({ kind: 'hang' }));
    const shutdownTimeoutMs = 5_000;
    const own = await startThinker({ env: { OLLAMA_HOST: hanging.url, OLLAMA_MODEL: 'llama3.2:1b', OLLAMA_TIMEOUT_MS: '120000', SHUTDOWN_TIMEOUT_MS: String(shutdownTimeoutMs) } });
    try {
      const { id } = (
        await own.service.app!.inject({ method: 'POST', url: '/thinker/generations', headers: await own.signer.headersFor(randomUUID()), payload: { topic: 'pizza' } })
      ).json();
      await waitFor(() => hanging.generationRequests().length > 0, { what: 'the model to be asked' });
      const began = performance.now();
      expect(await own.service.stop()).toBe(true);
      expect(performance.now() - began).toBeLessThan(shutdownTimeoutMs);
      expect(await hanging.generationRequests()[0]!.outcome).toBe('client-closed');
      const sql = postgres(own.db.url, { max: 1, onnotice: () => {} });
      const [generation] = await sql<Array<{ status: string }>>`select status from generations where id = ${id}`.finally(() => sql.end());
      expect(['queued', 'running']).toContain(generation?.status);
    } finally {
      await own.close();
      await hanging.close();
    }
  });
});

