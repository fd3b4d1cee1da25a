import { randomUUID } from 'node:crypto';
import type { DomainEvent } from '@trendcast/events';
import { startFakeOllama, type FakeOllama } from '@trendcast/fakes';
import { waitFor } from '@trendcast/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { closedPort } from '../support/fixtures.js';
import { answerWithDrafts } from '../support/fake-model.js';
import { catchEvents, type CaughtEvents } from '../support/events.js';
import { startThinker, type ThinkerStack } from '../support/service.js';

async function finished(stack: ThinkerStack, userId: string, body: object) {
  const headers = await stack.signer.headersFor(userId);
  const accepted = await stack.service.app!.inject({ method: 'POST', url: '/thinker/generations', headers, payload: body });
  expect(accepted.statusCode).toBe(202);
  return waitFor(
    async () => {
      const generation = (await stack.service.app!.inject({ method: 'GET', url: `/thinker/generations/${accepted.json().id}`, headers })).json();
      return generation.status === 'completed' || generation.status === 'failed' ? generation : undefined;
    },
    { what: 'the generation to finish' },
  );
}

async function metricsText(stack: ThinkerStack): Promise<string> {
  return (await stack.service.app!.inject({ method: 'GET', url: '/metrics' })).body;
}

describe('with a model server (the fake Ollama from @trendcast/fakes, driven by the real ollama client)', () => {
  let fake: FakeOllama;
  let stack: ThinkerStack;

  beforeAll(async () => {
    fake = await startFakeOllama();
    stack = await startThinker({ env: { OLLAMA_HOST: fake.url, OLLAMA_MODEL: 'llama3.2:1b' } });
  });
  afterEach(() => fake.reset());
  afterAll(async () => {
    await stack?.close();
    await fake?.close();
  });

  it('when the model answers, then its drafts are stored with its name, scored, and counted in thinker_generations_total', async () => {
    answerWithDrafts(fake);
    const generation = await finished(stack, randomUUID(), { topic: 'pizza in 2021', count: 3, tone: 'informative' });
    expect(generation).toMatchObject({ status: 'completed', model: 'llama3.2:1b', fallbackReason: null });
    expect(generation.drafts.map((d: { model: string }) => d.model)).toEqual(['llama3.2:1b', 'llama3.2:1b', 'llama3.2:1b']);
    expect(generation.drafts[0].sentiment.model).toMatch(/^offline-linear@/);
    const [chat] = fake.generationRequests();
    expect(chat?.body).toMatchObject({ model: 'llama3.2:1b', stream: true });
    expect(chat?.body.format.properties.drafts).toMatchObject({ minItems: 3, maxItems: 3 });
    expect(await metricsText(stack)).toMatch(/thinker_generations_total\{[^}]*outcome="completed"[^}]*model="llama3\.2:1b"[^}]*\} 1/);
  });

  it('when the models are listed, then the server’s models come with offline, and the configured one is the default', async () => {
    const listing = (await stack.service.app!.inject({ method: 'GET', url: '/thinker/models', headers: await stack.signer.headersFor(randomUUID()) })).json();
    expect(listing.default).toBe('llama3.2:1b');
    expect(listing.models).toEqual(expect.arrayContaining([{ name: 'llama3.2:1b', source: 'ollama' }, { name: 'offline', source: 'offline' }]));
  });

  it('when the configured model is not on the server, then the generation fails at once with a reason naming it', async () => {
    const misconfigured = await startThinker({ env: { OLLAMA_HOST: fake.url, OLLAMA_MODEL: 'missing-model:7b' } });
    try {
      const generation = await finished(misconfigured, randomUUID(), { topic: 'pizza', count: 2 });
      expect(generation.status).toBe('failed');
      expect(generation.reason).toContain('missing-model:7b');
      expect(generation.drafts).toEqual([]);
    } finally {
      await misconfigured.close();
    }
  });
});

describe('when Ollama is down', () => {
  let out: CaughtEvents | undefined;
  afterEach(async () => {
    await out?.close();
    out = undefined;
  });

  it('and the policy is fallback, then the drafts are written offline and the generation says why', async () => {
    const stack = await startThinker({ env: { OLLAMA_HOST: `http://127.0.0.1:${await closedPort()}`, OLLAMA_FAILURE_POLICY: 'fallback' } });
    try {
      const generation = await finished(stack, randomUUID(), { topic: 'pizza', count: 2 });
      expect(generation).toMatchObject({ status: 'completed', model: 'offline' });
      expect(generation.fallbackReason).toMatch(/failed after 2 attempts/);
      expect(generation.drafts).toHaveLength(2);
      expect(await metricsText(stack)).toMatch(/thinker_generations_total\{[^}]*outcome="fallback"[^}]*model="offline"[^}]*\} 1/);
    } finally {
      await stack.close();
    }
  });

  it('and the policy is fail, then the generation fails and thinker.generation.failed goes out', async () => {
    const stack = await startThinker({ env: { OLLAMA_HOST: `http://127.0.0.1:${await closedPort()}`, OLLAMA_FAILURE_POLICY: 'fail' } });
    try {
      out = await catchEvents(stack.exchangeOf('thinker'));
      const user = randomUUID();
      const generation = await finished(stack, user, { topic: 'pizza', count: 2 });
      expect(generation.status).toBe('failed');
      expect(generation.reason).toMatch(/could not be written/);
      const failed = (await out.next(
        (e) => e.type === 'thinker.generation.failed' && (e as DomainEvent<'thinker.generation.failed'>).data.generationId === generation.id,
        'thinker.generation.failed',
      )) as DomainEvent<'thinker.generation.failed'>;
      expect(failed.data).toEqual({ generationId: generation.id, userId: user, reason: generation.reason });
      expect(await metricsText(stack)).toMatch(/thinker_generations_total\{[^}]*outcome="failed"[^}]*\} 1/);
    } finally {
      await stack.close();
    }
  });
});
