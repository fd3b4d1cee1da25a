import { reply, startFakeOllama, type FakeOllama } from '@trendcast/fakes';
import { Ollama } from 'ollama';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { draftReplySchema } from '../../src/domain/draft-reply.js';
import { ModelFailure } from '../../src/domain/model-failure.js';
import type { ChatMessage } from '../../src/domain/prompt.js';
import { classify, createOllamaIntegration, ModelCapabilities, OllamaConnection, StructuredChat } from '../../src/integrations/ollama/index.js';
import type { OllamaSettings } from '../../src/integrations/ollama/ollama-settings.js';
import { closedPort } from '../support/fixtures.js';
import { drafts, settingsFor } from '../support/ollama.js';

const messages: ChatMessage[] = [
  { role: 'system', content: 'Write drafts.' },
  { role: 'user', content: 'About pizza.' },
];

let fake: FakeOllama;
beforeAll(async () => {
  fake = await startFakeOllama();
});
afterEach(() => {
  fake.reset();
  fake.removeModel('vintage:1b');
});
afterAll(() => fake.close());

function writerFor(overrides: Partial<OllamaSettings> = {}) {
  return createOllamaIntegration(settingsFor(fake.url, overrides)).writer;
}

async function failureOf(work: Promise<unknown>): Promise<ModelFailure> {
  const error = await work.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(ModelFailure);
  return error as ModelFailure;
}

describe('OllamaDraftWriter', () => {
  it('when the model answers valid drafts, then their texts come back and the request carries the schema and the settings', async () => {
    fake.enqueue(reply.json(drafts('One', 'Two')));
    const texts = await writerFor({ temperature: 0.3, seed: 100, numPredict: 777, keepAlive: '15m' }).writeDrafts({ messages, count: 2, variation: 3 });

    expect(texts).toEqual(['One', 'Two']);
    const [chat] = fake.generationRequests();
    expect(chat?.body).toMatchObject({
      model: 'llama3.2:1b',
      stream: true,
      format: z.toJSONSchema(draftReplySchema(2)),
      keep_alive: '15m',
      options: { temperature: 0.3, seed: 103, num_predict: 777 },
      messages,
    });
    expect(chat?.body.format.properties.drafts).toMatchObject({ minItems: 2, maxItems: 2 });
    // A model that cannot think is not sent `think` at all.
    expect(chat?.body).not.toHaveProperty('think');
  });

  it('when nothing is scripted, then the fake answers to the schema and the writer accepts it', async () => {
    const texts = await writerFor().writeDrafts({ messages, count: 3, variation: 0 });
    expect(texts).toHaveLength(3);
    expect(new Set(texts).size).toBe(3);
  });

  it('when the seed is unset, then none is sent, whatever the variation', async () => {
    fake.enqueue(reply.json(drafts('One')));
    await writerFor({ seed: undefined }).writeDrafts({ messages, count: 1, variation: 5 });
    expect(fake.generationRequests()[0]?.body.options).not.toHaveProperty('seed');
  });

  it('when the model answers malformed JSON, then it is a bad-output failure quoting the answer', async () => {
    fake.enqueue(reply.malformedJson());
    const failure = await failureOf(writerFor().writeDrafts({ messages, count: 1, variation: 0 }));
    expect(failure.kind).toBe('bad-output');
    expect(failure.transient).toBe(true);
    expect(failure.message).toContain('did not answer JSON: "{\\"drafts\\": [{\\"text\\": \\"Searches for pizza');
  });

  it('when the JSON does not match the schema (a draft too few), then it is a bad-output failure naming the problem', async () => {
    fake.enqueue(reply.json(drafts('Only one')));
    const failure = await failureOf(writerFor().writeDrafts({ messages, count: 2, variation: 0 }));
    expect(failure.kind).toBe('bad-output');
    expect(failure.message).toMatch(/does not match the schema \(drafts: Too small/u);
  });

  it('when the answer is cut at num_predict, then the failure says so', async () => {
    fake.enqueue(reply.json(drafts('A draft long enough to be cut well before its end by a tiny num_predict.')));
    const failure = await failureOf(writerFor({ numPredict: 6 }).writeDrafts({ messages, count: 1, variation: 0 }));
    expect(failure.kind).toBe('bad-output');
    expect(failure.message).toContain('cut off at num_predict');
  });

  it('when the JSON comes in a Markdown code fence, then it is still read', async () => {
    fake.enqueue(reply.text('```json\n{"drafts":[{"text":"Fenced"}]}\n```'));
    expect(await writerFor().writeDrafts({ messages, count: 1, variation: 0 })).toEqual(['Fenced']);
  });

  it('when an older reasoning model writes <think> blocks inline, then they are stripped (even inside a draft) before parsing', async () => {
    fake.enqueue(reply.withThinking('The user wants two drafts about pizza.', JSON.stringify(drafts('<think>hmm</think>First', 'Second'))));
    const texts = await writerFor({ model: 'deepseek-r1:1.5b' }).writeDrafts({ messages, count: 2, variation: 0 });
    expect(texts).toEqual(['First', 'Second']);
  });

  it('when the model is unknown, then it is an unknown-model failure, not retried, naming the model', async () => {
    const failure = await failureOf(writerFor({ model: 'mistral:7b' }).writeDrafts({ messages, count: 1, variation: 0 }));
    expect(failure.kind).toBe('unknown-model');
    expect(failure.transient).toBe(false);
    expect(failure.message).toContain("model 'mistral:7b' not found");
  });

  it('when an embedding model is configured, then it is an unsupported failure', async () => {
    const failure = await failureOf(writerFor({ model: 'nomic-embed-text' }).writeDrafts({ messages, count: 1, variation: 0 }));
    expect(failure).toMatchObject({ kind: 'unsupported', transient: false });
  });

  it('when the model fails mid-stream, then it is a transient server failure', async () => {
    fake.enqueue(reply.streamError('{"drafts": [{"text": "Pi', 'an error was encountered while running the model'));
    const failure = await failureOf(writerFor().writeDrafts({ messages, count: 1, variation: 0 }));
    expect(failure).toMatchObject({ kind: 'server', transient: true });
    expect(failure.message).toContain('an error was encountered while running the model');
  });

  it('when the server is busy (503), then it is a transient server failure', async () => {
    fake.enqueue(reply.error(503, 'server busy, please try again.  maximum pending requests exceeded'));
    expect(await failureOf(writerFor().writeDrafts({ messages, count: 1, variation: 0 }))).toMatchObject({ kind: 'server', transient: true });
  });

  it('when nothing listens at the host, then it is an unreachable failure naming the host', async () => {
    const host = `http://127.0.0.1:${await closedPort()}`;
    const failure = await failureOf(createOllamaIntegration(settingsFor(host)).writer.writeDrafts({ messages, count: 1, variation: 0 }));
    expect(failure.kind).toBe('unreachable');
    expect(failure.message).toContain(host);
  });
});

describe('timeouts and cancellation', () => {
  it('when the model never answers, then the request times out and the server sees the connection closed', async () => {
    fake.enqueue(reply.hang());
    const started = performance.now();
    const failure = await failureOf(writerFor({ timeoutMs: 300 }).writeDrafts({ messages, count: 1, variation: 0 }));
    expect(failure.kind).toBe('timeout');
    expect(failure.message).toContain('within 300 ms');
    expect(performance.now() - started).toBeLessThan(3_000);
    expect(await fake.generationRequests()[0]?.outcome).toBe('client-closed');
  });

  it('when the stream stalls midway, then the timeout cuts it too', async () => {
    fake.enqueue(reply.hang('{"drafts": [{"text": "Pizza'));
    const failure = await failureOf(writerFor({ timeoutMs: 300 }).writeDrafts({ messages, count: 1, variation: 0 }));
    expect(failure.kind).toBe('timeout');
    expect(await fake.generationRequests()[0]?.outcome).toBe('client-closed');
  });

  it('when a slow answer arrives within the timeout, then it is used', async () => {
    fake.enqueue(reply.json(drafts('Slow but fine'), { delayMs: 100, chunkDelayMs: 5 }));
    expect(await writerFor({ timeoutMs: 2_000 }).writeDrafts({ messages, count: 1, variation: 0 })).toEqual(['Slow but fine']);
  });

  it("when the caller's signal aborts, then the request stops and the failure is a cancellation", async () => {
    fake.enqueue(reply.hang());
    const controller = new AbortController();
    const call = failureOf(writerFor({ timeoutMs: 10_000 }).writeDrafts({ messages, count: 1, variation: 0 }, controller.signal));
    await vi.waitFor(() => expect(fake.generationRequests()).toHaveLength(1));
    controller.abort();
    expect((await call).kind).toBe('cancelled');
    expect(await fake.generationRequests()[0]?.outcome).toBe('client-closed');
  });
});

describe('thinking', () => {
  const schema = draftReplySchema(1);
  function chatFor(overrides: Partial<OllamaSettings>) {
    const settings = settingsFor(fake.url, overrides);
    const connection = new OllamaConnection({ host: settings.host, timeoutMs: settings.timeoutMs });
    return new StructuredChat(connection, new ModelCapabilities(connection), settings);
  }

  it('when the model can think and thinking is off, then think false is sent and no reasoning comes back', async () => {
    fake.enqueue(reply.withThinking('Should not appear.', JSON.stringify(drafts('Plain'))));
    const answer = await chatFor({ model: 'qwen3:0.6b', think: false }).ask({ what: 'test', messages, schema });
    expect(fake.generationRequests()[0]?.body.think).toBe(false);
    expect(answer).toMatchObject({ value: drafts('Plain'), thinking: '' });
  });

  it('when the model can think and thinking is on, then the reasoning arrives apart from the reply', async () => {
    fake.enqueue(reply.withThinking('Pizza is popular; keep it short.', JSON.stringify(drafts('Thought through'))));
    const answer = await chatFor({ model: 'qwen3:0.6b', think: 'low' }).ask({ what: 'test', messages, schema });
    expect(fake.generationRequests()[0]?.body.think).toBe('low');
    expect(answer).toEqual({ value: drafts('Thought through'), thinking: 'Pizza is popular; keep it short.', model: 'qwen3:0.6b' });
  });

  it('when the model writes its reasoning inline, then the <think> block is removed and kept as reasoning', async () => {
    fake.enqueue(reply.withThinking('Reasoning inline.', JSON.stringify(drafts('Inline model'))));
    const answer = await chatFor({ model: 'deepseek-r1:1.5b' }).ask({ what: 'test', messages, schema });
    expect(fake.generationRequests()[0]?.reply).toBeDefined();
    expect(answer).toEqual({ value: drafts('Inline model'), thinking: 'Reasoning inline.', model: 'deepseek-r1:1.5b' });
  });

  it('when the server does not list capabilities and refuses think, then the writer learns it, asks again without think, and remembers', async () => {
    fake.addModel({ name: 'vintage:1b', family: 'llama', parameterSize: '1B', quantization: 'Q4_0', sizeBytes: 1, contextLength: 4096, capabilities: undefined });
    fake.enqueue(reply.json(drafts('After the 400')), reply.json(drafts('Second call')));
    const chat = chatFor({ model: 'vintage:1b', think: true });

    expect((await chat.ask({ what: 'test', messages, schema })).value).toEqual(drafts('After the 400'));
    const [refused, accepted] = fake.generationRequests();
    expect(refused?.body.think).toBe(true);
    expect(accepted?.body).not.toHaveProperty('think');

    expect((await chat.ask({ what: 'test', messages, schema })).value).toEqual(drafts('Second call'));
    expect(fake.generationRequests()[2]?.body).not.toHaveProperty('think');
    expect(fake.requests.filter((request) => request.path === '/api/show')).toHaveLength(1);
  });

  it('when a thinking model is asked again, then /api/show is asked once (capabilities are cached)', async () => {
    const chat = chatFor({ model: 'qwen3:0.6b' });
    await chat.ask({ what: 'test', messages, schema });
    await chat.ask({ what: 'test', messages, schema });
    expect(fake.requests.filter((request) => request.path === '/api/show')).toHaveLength(1);
  });
});

describe('classify', () => {
  it("when chat itself answers 404 with the scheduler's pull hint, then the failure is unknown-model", async () => {
    const error = await new Ollama({ host: fake.url }).chat({ model: 'mistral', messages: [{ role: 'user', content: 'hi' }] }).catch((reason: unknown) => reason);
    const failure = classify('writing drafts', fake.url, error);
    expect(failure).toMatchObject({ kind: 'unknown-model' });
    expect(failure.message).toBe('writing drafts: model "mistral" not found, try pulling it first');
  });
});

describe('listModels', () => {
  it('when the models are listed, then every model pulled on the server comes back with its details', async () => {
    const models = await createOllamaIntegration(settingsFor(fake.url)).listModels();
    expect(models).toContainEqual({ name: 'qwen3:0.6b', family: 'qwen3', parameterSize: '751.63M', sizeBytes: 522_653_767 });
    expect(models.map((model) => model.name)).toContain('llama3.2:1b');
  });
});
