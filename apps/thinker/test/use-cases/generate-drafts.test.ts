import { backoffDelay } from '@trendcast/core';
import { reply, startFakeOllama, type FakeOllama } from '@trendcast/fakes';
import { countPostText, findUrls } from '@trendcast/post-text';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { GenerationCancelledError } from '../../src/domain/generation-errors.js';
import type { SentimentScorer } from '../../src/sentiment/sentiment-scorer.js';
import { generateDrafts, type GenerationOutcome } from '../../src/use-cases/generate-drafts.js';
import { closedPort, MarkScorer, pizzaSource, pizzaSummary } from '../support/fixtures.js';
import { drafts } from '../support/ollama.js';
import { harness, longDraft } from './harness.js';

let fake: FakeOllama;
beforeAll(async () => {
  fake = await startFakeOllama();
});
afterEach(() => {
  fake.reset();
  fake.removeModel('vintage:1b');
});
afterAll(() => fake.close());

const good = [
  'Searches for "detroit style pizza" are up 350% in the United States. Square slices, round numbers.',
  'Interest in pizza peaked on February 7, 2021. Game day, apparently.',
  '"pizza near me open now" is breaking out. Midnight cravings are a national pastime.',
];
const risingQueries = pizzaSummary.risingQueries.map((item) => item.query);

function completed(outcome: GenerationOutcome) {
  if (outcome.status !== 'completed') throw new Error(`expected drafts, got ${outcome.code}: ${outcome.reason}`);
  return outcome;
}
function failedWith(outcome: GenerationOutcome) {
  if (outcome.status !== 'failed') throw new Error(`expected a failure, got drafts by ${outcome.model}`);
  return outcome;
}
const draftRequests = () => fake.generationRequests().filter((request) => request.body.format?.properties?.drafts);
const expectOfflineDrafts = (outcome: GenerationOutcome, count: number) => {
  const result = completed(outcome);
  expect(result.model).toBe('offline');
  expect(result.drafts).toHaveLength(count);
  for (const draft of result.drafts) {
    expect(draft.model).toBe('offline');
    expect(risingQueries.some((query) => draft.text.includes(query)) || /2021/u.test(draft.text)).toBe(true);
  }
  return result;
};

describe('generateDrafts without a model', () => {
  it('when Ollama is not configured, then the drafts are written offline, grounded, each scored', async () => {
    const { deps } = harness();
    const result = expectOfflineDrafts(await generateDrafts(deps, { source: pizzaSource, count: 3, tone: 'enthusiastic' }), 3);
    expect(result.fallbackReason).toBeUndefined();
    expect(result.drafts.every((draft) => draft.sentiment.model === 'marks')).toBe(true);
  });

  it('when another language is asked offline, then the generation fails saying the offline generator writes English only', async () => {
    const { deps } = harness();
    const outcome = failedWith(await generateDrafts(deps, { source: pizzaSource, language: 'de' }));
    expect(outcome).toEqual({
      status: 'failed',
      code: 'LANGUAGE_UNSUPPORTED',
      reason: 'Drafts in German need the language model, and no language model is configured; the offline generator writes English only.',
    });
    expect(completed(await generateDrafts(deps, { source: pizzaSource, language: 'en-GB' })).model).toBe('offline');
  });

  it('when the request is invalid, then the outcome says which field and how', async () => {
    const { deps } = harness();
    const outcome = failedWith(await generateDrafts(deps, { source: pizzaSource, count: 11, tone: 'sarcastic' as 'witty' }));
    expect(outcome.code).toBe('INVALID_REQUEST');
    expect(outcome.reason).toMatch(/count/u);
    expect(outcome.reason).toMatch(/tone/u);
  });
});

describe('generateDrafts with Ollama', () => {
  it('when the model writes valid drafts, then they are kept as written, with its name, each scored', async () => {
    fake.enqueue(reply.json(drafts(...good)));
    const { deps } = harness({ fake });
    const result = completed(await generateDrafts(deps, { source: pizzaSource, count: 3, tone: 'witty', channel: 'mastodon' }));
    expect(result.model).toBe('llama3.2:1b');
    expect(result.drafts.map((draft) => draft.text)).toEqual(good);
    expect(result.drafts.every((draft) => draft.model === 'llama3.2:1b' && !draft.shortened)).toBe(true);
    expect(result.drafts.map((draft) => draft.sentiment.label)).toEqual(['neutral', 'neutral', 'neutral']);
    expect(draftRequests()).toHaveLength(1);
  });

  it('when Ollama also scores the sentiment, then each draft carries the model’s score', async () => {
    fake.respondWith((request) =>
      request.body.format.properties.results
        ? reply.json({ results: [0.5, -0.2, 0.9].map((score) => ({ label: score > 0 ? 'positive' : 'negative', score, confidence: 0.8 })) })
        : reply.json(drafts(...good)),
    );
    const { deps, integration } = harness({ fake });
    const result = completed(await generateDrafts({ ...deps, scorer: integration!.scorer }, { source: pizzaSource }));
    expect(result.drafts.map((draft) => draft.sentiment)).toEqual([
      { label: 'positive', score: 0.5, confidence: 0.8, model: 'llama3.2:1b' },
      { label: 'negative', score: -0.2, confidence: 0.8, model: 'llama3.2:1b' },
      { label: 'positive', score: 0.9, confidence: 0.8, model: 'llama3.2:1b' },
    ]);
  });

  it('when another language is asked, then the prompt tells the model to write in it', async () => {
    fake.enqueue(reply.json(drafts('Pizza ist gefragt wie nie.')));
    const { deps } = harness({ fake });
    completed(await generateDrafts(deps, { source: pizzaSource, count: 1, language: 'de' }));
    expect(draftRequests()[0]?.body.messages[0].content).toContain('write in German');
  });

  it('when the model answers malformed JSON once, then the retry asks with the next seed and its drafts are used', async () => {
    fake.enqueue(reply.malformedJson(), reply.json(drafts(...good)));
    const { deps, waits } = harness({ fake });
    const result = completed(await generateDrafts(deps, { source: pizzaSource }));
    expect(result.model).toBe('llama3.2:1b');
    expect(draftRequests().map((request) => request.body.options.seed)).toEqual([42, 43]);
    expect(waits).toEqual([backoffDelay(1, { baseMs: 100, maxMs: 1_000, random: () => 0.5 })]);
  });

  it('when the model keeps answering malformed JSON, then it is tried with backoff, then the drafts are written offline saying why', async () => {
    fake.respondWith(() => reply.malformedJson());
    const { deps, waits } = harness({ fake });
    const result = expectOfflineDrafts(await generateDrafts(deps, { source: pizzaSource, count: 2 }), 2);
    expect(draftRequests()).toHaveLength(3);
    expect(waits).toEqual([1, 2].map((retry) => backoffDelay(retry, { baseMs: 100, maxMs: 1_000, random: () => 0.5 })));
    expect(result.fallbackReason).toMatch(/^llama3\.2:1b failed after 3 attempts: writing drafts: llama3\.2:1b did not answer JSON/u);
  });

  it('when the model keeps answering malformed JSON and the policy is fail, then the generation fails with the reason', async () => {
    fake.respondWith(() => reply.malformedJson());
    const { deps } = harness({ fake, policy: { onModelFailure: 'fail' } });
    const outcome = failedWith(await generateDrafts(deps, { source: pizzaSource }));
    expect(outcome.code).toBe('MODEL_UNAVAILABLE');
    expect(outcome.reason).toMatch(/^The drafts could not be written: llama3\.2:1b failed after 3 attempts: .*did not answer JSON/u);
  });

  it('when the model names a model the server does not have, then the generation fails clearly at once, whatever the policy', async () => {
    const { deps, waits } = harness({ fake, settings: { model: 'mistral:7b' } });
    const outcome = failedWith(await generateDrafts(deps, { source: pizzaSource }));
    expect(outcome.code).toBe('MODEL_MISCONFIGURED');
    expect(outcome.reason).toBe(
      "The model \"mistral:7b\" is not available on the Ollama server (showing model mistral:7b: model 'mistral:7b' not found). " +
        'Pull it there (ollama pull mistral:7b) or set OLLAMA_MODEL to a model the server has.',
    );
    expect(waits).toEqual([]);
    expect(fake.requests).toHaveLength(1);
  });

  it('when the model cannot think and thinking is on, then the refused think is dropped and the drafts still come', async () => {
    fake.addModel({ name: 'vintage:1b', family: 'llama', parameterSize: '1B', quantization: 'Q4_0', sizeBytes: 1, contextLength: 4096, capabilities: undefined });
    fake.enqueue(reply.json(drafts(...good)));
    const { deps } = harness({ fake, settings: { model: 'vintage:1b', think: true } });
    const result = completed(await generateDrafts(deps, { source: pizzaSource }));
    expect(result.model).toBe('vintage:1b');
    expect(draftRequests().map((request) => request.body.think)).toEqual([true, undefined]);
  });

  it('when a reasoning model writes <think> blocks, then no draft carries them', async () => {
    fake.enqueue(reply.withThinking('Three drafts, witty.', JSON.stringify(drafts(`<think>first one</think>${good[0]}`, good[1] as string, good[2] as string))));
    const { deps } = harness({ fake, settings: { model: 'deepseek-r1:1.5b' } });
    const result = completed(await generateDrafts(deps, { source: pizzaSource }));
    expect(result.drafts.map((draft) => draft.text)).toEqual(good);
  });

  it('when the model repeats a draft, then the repeat is written again', async () => {
    fake.enqueue(reply.json(drafts(good[0] as string, good[0] as string)), reply.json(drafts(good[1] as string)));
    const { deps } = harness({ fake });
    const result = completed(await generateDrafts(deps, { source: pizzaSource, count: 2 }));
    expect(result.drafts.map((draft) => draft.text)).toEqual([good[0], good[1]]);
    expect(draftRequests()[1]?.body.messages[1].content).toContain('a draft repeating another');
  });
});

describe('over-long drafts', () => {
  it('when a draft is too long, then the model is asked once to shorten it, with the overrun stated, and the rewrite is kept', async () => {
    const long = longDraft(620);
    fake.enqueue(reply.json(drafts(good[0] as string, long)), reply.json(drafts('Detroit style pizza searches are up 350% this year. Square is the new round.')));
    const { deps } = harness({ fake });
    const result = completed(await generateDrafts(deps, { source: pizzaSource, count: 2 }));

    expect(result.drafts.map((draft) => [draft.text, draft.shortened])).toEqual([
      [good[0], false],
      ['Detroit style pizza searches are up 350% this year. Square is the new round.', false],
    ]);
    const [, reask] = draftRequests();
    const conversation = reask?.body.messages as Array<{ role: string; content: string }>;
    expect(conversation.map((message) => message.role)).toEqual(['system', 'user', 'assistant', 'user']);
    expect(JSON.parse(conversation[2]?.content ?? '')).toEqual(drafts(long));
    expect(conversation[3]?.content).toContain(`Too long: draft 1 has ${long.length} characters; the limit is 500`);
    expect(reask?.body.format.properties.drafts).toMatchObject({ minItems: 1, maxItems: 1 });
  });

  it('when the rewrite is still too long, then it is cut at a boundary to fit, never inside a word or a link', async () => {
    const topic = 'Our bakery opens Saturday, details at https://bakery.example/opening-day-menu';
    const link = 'https://bakery.example/opening-day-menu';
    // The link straddles the limit, so a cut by characters would break it.
    const long = `${longDraft(440, 'Doors open Saturday and the ovens are hot.')} Menu: ${link} and more treats to come for everyone in town.`;
    fake.enqueue(reply.json(drafts(long)), reply.json(drafts(long)));
    const { deps } = harness({ fake });
    const result = completed(await generateDrafts(deps, { source: { kind: 'topic', topic }, count: 1 }));

    const [draft] = result.drafts;
    expect(draft?.shortened).toBe(true);
    expect(countPostText(draft?.text ?? '')).toBeLessThanOrEqual(500);
    const kept = (draft?.text ?? '').replace(/…$/u, '');
    expect(long.startsWith(kept)).toBe(true);
    expect(long.charAt(kept.length)).toMatch(/\s/u);
    for (const url of findUrls(draft?.text ?? '')) expect(url.text).toBe(link);
    expect(draftRequests()).toHaveLength(2);
  });

  it('when drafts are too long in a later round, then they are cut without asking again (one re-ask per generation)', async () => {
    fake.enqueue(
      reply.json(drafts(longDraft(600, 'Detroit style pizza is up 350%.', 'a'), 'Pizza! https://evil.example')),
      reply.json(drafts(longDraft(600, 'Detroit style pizza is up 350%.', 'b'))),
      reply.json(drafts(longDraft(600, 'Pizza peaked on February 7, 2021.', 'c'))),
    );
    const { deps } = harness({ fake });
    const result = completed(await generateDrafts(deps, { source: pizzaSource, count: 2 }));
    expect(result.drafts.map((draft) => draft.shortened)).toEqual([true, true]);
    const messages = draftRequests().map((request) => (request.body.messages as unknown[]).length);
    expect(messages).toEqual([2, 4, 2]);
  });
});

describe('when Ollama fails', () => {
  it('when every answer hangs, then each try times out and is closed, then the drafts are written offline', async () => {
    fake.respondWith(() => reply.hang());
    const { deps } = harness({ fake, settings: { timeoutMs: 200 } });
    const result = expectOfflineDrafts(await generateDrafts(deps, { source: pizzaSource, count: 1 }), 1);
    expect(result.fallbackReason).toMatch(/no complete answer from Ollama at http:\/\/127\.0\.0\.1:\d+ within 200 ms/u);
    const outcomes = await Promise.all(draftRequests().map((request) => request.outcome));
    expect(outcomes).toEqual(['client-closed', 'client-closed', 'client-closed']);
  });

  it('when every answer hangs and the policy is fail, then the generation fails naming the timeout', async () => {
    fake.respondWith(() => reply.hang());
    const { deps } = harness({ fake, settings: { timeoutMs: 200 }, policy: { onModelFailure: 'fail', modelAttempts: 2 } });
    const outcome = failedWith(await generateDrafts(deps, { source: pizzaSource }));
    expect(outcome.code).toBe('MODEL_UNAVAILABLE');
    expect(outcome.reason).toMatch(/failed after 2 attempts: writing drafts: no complete answer .* within 200 ms/u);
  });

  it('when a timeout is followed by an answer, then the retry succeeds', async () => {
    fake.enqueue(reply.hang(), reply.json(drafts(...good)));
    const { deps } = harness({ fake, settings: { timeoutMs: 200 } });
    expect(completed(await generateDrafts(deps, { source: pizzaSource })).model).toBe('llama3.2:1b');
  });

  it('when Ollama is down (nothing listens), then the drafts are written offline, or the generation fails, as configured', async () => {
    const host = `http://127.0.0.1:${await closedPort()}`;
    const fallback = harness({ host });
    const result = expectOfflineDrafts(await generateDrafts(fallback.deps, { source: pizzaSource, count: 2 }), 2);
    expect(result.fallbackReason).toContain(`Ollama at ${host} is unreachable`);
    expect(fallback.waits).toHaveLength(2);

    const strict = harness({ host, policy: { onModelFailure: 'fail' } });
    const outcome = failedWith(await generateDrafts(strict.deps, { source: pizzaSource }));
    expect(outcome.code).toBe('MODEL_UNAVAILABLE');
    expect(outcome.reason).toContain(`Ollama at ${host} is unreachable`);
  });

  it('when Ollama is down and another language was asked, then the fallback cannot help and says why', async () => {
    const host = `http://127.0.0.1:${await closedPort()}`;
    const outcome = failedWith(await generateDrafts(harness({ host }).deps, { source: pizzaSource, language: 'fr' }));
    expect(outcome.code).toBe('LANGUAGE_UNSUPPORTED');
    expect(outcome.reason).toMatch(/^Drafts in French need the language model, and the language model is unavailable \(.*unreachable/u);
  });

  it("when the caller's signal aborts mid-request, then the generation stops with a cancellation and the request is closed", async () => {
    fake.respondWith(() => reply.hang());
    const controller = new AbortController();
    const { deps } = harness({ fake, settings: { timeoutMs: 10_000 } });
    const run = generateDrafts(deps, { source: pizzaSource }, controller.signal).catch((error: unknown) => error);
    await vi.waitFor(() => expect(draftRequests()).toHaveLength(1));
    controller.abort();
    expect(await run).toBeInstanceOf(GenerationCancelledError);
    expect(await draftRequests()[0]?.outcome).toBe('client-closed');
    expect(draftRequests()).toHaveLength(1);
  });
});

describe('sentiment', () => {
  const broken: SentimentScorer = {
    name: 'broken',
    score: async () => {
      throw new Error('scorer exploded');
    },
  };

  it('when the scorer fails and there is a fallback scorer, then the fallback scores the drafts', async () => {
    const fallbackScorer = new MarkScorer();
    const { deps, logger } = harness({ scorer: broken, fallbackScorer });
    const result = completed(await generateDrafts(deps, { source: pizzaSource, count: 2, tone: 'enthusiastic' }));
    expect(result.drafts.every((draft) => draft.sentiment.model === 'marks')).toBe(true);
    expect(fallbackScorer.calls).toBe(1);
    expect(logger.entries.some((entry) => entry.message?.includes('using the fallback scorer'))).toBe(true);
  });

  it('when the scorer fails with no fallback, then the generation fails saying the drafts could not be scored', async () => {
    const outcome = failedWith(await generateDrafts(harness({ scorer: broken }).deps, { source: pizzaSource }));
    expect(outcome).toEqual({ status: 'failed', code: 'SENTIMENT_FAILED', reason: 'The drafts were written but could not be scored for sentiment: the broken scorer failed: scorer exploded' });
  });

  it('when a scorer returns too few results, then it counts as a failure, not as unscored drafts', async () => {
    const short: SentimentScorer = { name: 'short', score: async () => [] };
    expect(failedWith(await generateDrafts(harness({ scorer: short }).deps, { source: pizzaSource })).reason).toContain('returned 0 results for 3 texts');
  });
});

