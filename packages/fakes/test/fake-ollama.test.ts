import { Ajv2020 } from 'ajv/dist/2020.js';
import { Ollama } from 'ollama';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { reply, startFakeOllama, type FakeOllama } from '../src/index.js';
import { clientFor, rejectionOf } from './support.js';

const draftsSchema = z.toJSONSchema(
  z.object({ drafts: z.array(z.object({ text: z.string().min(1) })).length(3) }),
);
const messages = [
  { role: 'system', content: 'Write drafts.' },
  { role: 'user', content: 'About pizza.' },
];

let fake: FakeOllama;
let ollama: Ollama;

beforeAll(async () => {
  fake = await startFakeOllama();
  ollama = new Ollama({ host: fake.url });
});
afterEach(() => fake.reset());
afterAll(() => fake.close());

describe('chat with structured output', () => {
  it('when a chat sends a JSON Schema as format, then the content is JSON that conforms to it', async () => {
    const response = await ollama.chat({ model: 'llama3.2:1b', messages, format: draftsSchema });

    const value: unknown = JSON.parse(response.message.content);
    const validate = new Ajv2020({ strict: false, validateFormats: false }).compile(draftsSchema);
    expect(validate(value), JSON.stringify(validate.errors)).toBe(true);
    const texts = (value as { drafts: Array<{ text: string }> }).drafts.map((draft) => draft.text);
    expect(new Set(texts).size).toBe(3);
    expect(response).toMatchObject({ model: 'llama3.2:1b', done: true, done_reason: 'stop', message: { role: 'assistant' } });
    expect(response.eval_count).toBeGreaterThan(0);
  });

  it('when the client sends a request, then the fake records the body and headers as they came on the wire', async () => {
    await ollama.chat({ model: 'llama3.2:1b', messages, format: draftsSchema, options: { temperature: 0.2, seed: 7, num_predict: 512 }, keep_alive: '10m' });

    const [seen] = fake.generationRequests();
    expect(seen?.path).toBe('/api/chat');
    expect(seen?.body).toMatchObject({
      model: 'llama3.2:1b',
      stream: false,
      format: draftsSchema,
      options: { temperature: 0.2, seed: 7, num_predict: 512 },
      keep_alive: '10m',
      messages,
    });
    expect(seen?.headers['user-agent']).toMatch(/^ollama-js\//);
    expect(await seen?.outcome).toBe('answered');
  });

  it('when replies are scripted, then each chat call takes the next one in order, then the handler, then the default', async () => {
    fake.enqueue(reply.text('first'), reply.json({ n: 2 }));
    fake.respondWith((request) => reply.text(`handled ${String(request.body.model)}`));

    const contents = [];
    for (let i = 0; i < 3; i += 1) contents.push((await ollama.chat({ model: 'llama3.2:1b', messages })).message.content);

    expect(contents).toEqual(['first', '{"n":2}', 'handled llama3.2:1b']);
    expect(fake.pendingReplies).toBe(0);
  });

  it('when a reply is malformed JSON, then it reaches the client as is (the format is a request, not a guarantee)', async () => {
    fake.enqueue(reply.malformedJson());
    const response = await ollama.chat({ model: 'llama3.2:1b', messages, format: draftsSchema });
    expect(() => JSON.parse(response.message.content)).toThrow();
  });

  it('when format is neither "json" nor a schema object, then the server answers 500 invalid format', async () => {
    const error = await rejectionOf(ollama.chat({ model: 'llama3.2:1b', messages, format: 'xml' }));
    expect(error.name).toBe('ResponseError');
    expect(error.status_code).toBe(500);
    expect(error.message).toBe('invalid format: "\\"xml\\""; expected "json" or a valid JSON Schema object');
  });

  it('when num_predict is smaller than the answer, then the answer is cut and done_reason is "length"', async () => {
    fake.enqueue(reply.json({ drafts: [{ text: 'A long enough draft about pizza and bagels in New York.' }] }));
    const response = await ollama.chat({ model: 'llama3.2:1b', messages, options: { num_predict: 5 } });
    expect(response.done_reason).toBe('length');
    expect(response.eval_count).toBe(5);
    expect(() => JSON.parse(response.message.content)).toThrow();
  });
});

describe('streaming', () => {
  it('when stream is true, then the answer arrives as NDJSON chunks and a final done chunk with counters', async () => {
    fake.enqueue(reply.text('Pizza searches peaked on 7 February.'));
    const chunks = [];
    for await (const chunk of await ollama.chat({ model: 'llama3.2:1b', messages, stream: true })) chunks.push(chunk);

    expect(chunks.length).toBeGreaterThan(3);
    expect(chunks.map((chunk) => chunk.message.content).join('')).toBe('Pizza searches peaked on 7 February.');
    const last = chunks.at(-1);
    expect(last).toMatchObject({ done: true, done_reason: 'stop', message: { role: 'assistant', content: '' } });
    expect(last?.total_duration).toBeGreaterThan(0);
    expect(chunks.slice(0, -1).every((chunk) => chunk.done === false)).toBe(true);
  });

  it('when a request omits stream, then the raw API streams NDJSON by default', async () => {
    const response = await fetch(`${fake.url}/api/chat`, {
      method: 'POST',
      body: JSON.stringify({ model: 'llama3.2:1b', messages }),
    });
    expect(response.headers.get('content-type')).toBe('application/x-ndjson');
    const lines = (await response.text()).trim().split('\n').map((line) => JSON.parse(line) as { done: boolean });
    expect(lines.length).toBeGreaterThan(1);
    expect(lines.at(-1)?.done).toBe(true);
  });

  it('when the model fails mid-stream, then the chunks before arrive and the client throws the error line', async () => {
    fake.enqueue(reply.streamError('{"drafts": [{"text": "Pizza', 'an error was encountered while running the model'));
    const received: string[] = [];
    const failure = await rejectionOf(
      (async () => {
        for await (const chunk of await ollama.chat({ model: 'llama3.2:1b', messages, stream: true })) received.push(chunk.message.content);
      })(),
    );
    expect(failure.message).toBe('an error was encountered while running the model');
    expect(received.join('')).toBe('{"drafts": [{"text": "Pizza');
  });

  it('when the model fails on a non-streamed request, then the server answers 500 with the error', async () => {
    fake.enqueue(reply.streamError('partial', 'model runner has unexpectedly stopped'));
    const error = await rejectionOf(ollama.chat({ model: 'llama3.2:1b', messages }));
    expect(error).toMatchObject({ name: 'ResponseError', status_code: 500, message: 'model runner has unexpectedly stopped' });
  });
});

describe('thinking', () => {
  it('when a thinking model is asked without think, then it thinks (the server default) and the reasoning comes apart from the content', async () => {
    fake.enqueue(reply.withThinking('Pizza is a food. Keep it short.', '{"answer":"yes"}'));
    const response = await ollama.chat({ model: 'qwen3:0.6b', messages });
    expect(response.message.thinking).toBe('Pizza is a food. Keep it short.');
    expect(response.message.content).toBe('{"answer":"yes"}');
  });

  it('when a thinking model is sent think false, then no reasoning is returned', async () => {
    fake.enqueue(reply.withThinking('Hidden reasoning.', 'Plain answer.'));
    const response = await ollama.chat({ model: 'qwen3:0.6b', messages, think: false });
    expect(response.message.thinking).toBeUndefined();
    expect(response.message.content).toBe('Plain answer.');
  });

  it('when a thinking model streams, then thinking chunks come before content chunks', async () => {
    fake.enqueue(reply.withThinking('First I think.', 'Then I answer.'));
    const chunks = [];
    for await (const chunk of await ollama.chat({ model: 'qwen3:0.6b', messages, think: true, stream: true })) chunks.push(chunk.message);
    expect(chunks.map((chunk) => chunk.thinking ?? '').join('')).toBe('First I think.');
    expect(chunks.map((chunk) => chunk.content).join('')).toBe('Then I answer.');
    const firstContent = chunks.findIndex((chunk) => chunk.content !== '');
    expect(chunks.slice(firstContent).every((chunk) => !chunk.thinking)).toBe(true);
  });

  it('when think true is sent to a model that cannot think, then the server answers 400 "does not support thinking"', async () => {
    const error = await rejectionOf(ollama.chat({ model: 'llama3.2:1b', messages, think: true }));
    expect(error).toMatchObject({ name: 'ResponseError', status_code: 400, message: '"llama3.2:1b" does not support thinking' });
    const level = await rejectionOf(ollama.generate({ model: 'llama3.2:1b', prompt: 'hi', think: 'low' }));
    expect(level.message).toBe('"llama3.2:1b" does not support thinking');
    expect(fake.pendingReplies).toBe(0);
  });

  it('when think false is sent to a model that cannot think, then the request succeeds (only a request to think is refused)', async () => {
    const response = await ollama.chat({ model: 'llama3.2:1b', messages, think: false });
    expect(response.message.content).not.toBe('');
  });

  it('when an older reasoning model answers, then its reasoning is inline in a <think> block at the start of the content', async () => {
    fake.enqueue(reply.withThinking('Work it out.', 'The answer.'));
    const response = await ollama.chat({ model: 'deepseek-r1:1.5b', messages });
    expect(response.message.thinking).toBeUndefined();
    expect(response.message.content).toBe('<think>\nWork it out.\n</think>\n\nThe answer.');
  });

  it('when think has an unknown value, then the request is refused with the server wording', async () => {
    const response = await fetch(`${fake.url}/api/chat`, {
      method: 'POST',
      body: JSON.stringify({ model: 'qwen3:0.6b', messages, think: 'extreme', stream: false }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: 'invalid think value: "extreme" (must be "high", "medium", "low", "max", true, or false)' });
  });
});

describe('errors', () => {
  it('when the model is unknown, then chat and generate answer 404 "not found, try pulling it first"', async () => {
    const chat = await rejectionOf(ollama.chat({ model: 'mistral:7b', messages }));
    expect(chat).toMatchObject({ name: 'ResponseError', status_code: 404, message: 'model "mistral:7b" not found, try pulling it first' });
    const generate = await rejectionOf(ollama.generate({ model: 'mistral', prompt: 'hi' }));
    expect(generate).toMatchObject({ status_code: 404, message: 'model "mistral" not found, try pulling it first' });
  });

  it("when set to the current wording, then an unknown model answers 404 model 'x' not found", async () => {
    const current = await startFakeOllama({ notFoundMessage: 'current' });
    try {
      const error = await rejectionOf(new Ollama({ host: current.url }).chat({ model: 'mistral:7b', messages }));
      expect(error).toMatchObject({ status_code: 404, message: "model 'mistral:7b' not found" });
    } finally {
      await current.close();
    }
  });

  it('when a name has no tag, then it means :latest, as Ollama reads it', async () => {
    const response = await ollama.chat({ model: 'llama3.2', messages });
    expect(response.model).toBe('llama3.2');
  });

  it('when an embedding model is asked to chat, then the server answers 400 does not support chat', async () => {
    const error = await rejectionOf(ollama.chat({ model: 'nomic-embed-text', messages }));
    expect(error).toMatchObject({ status_code: 400, message: '"nomic-embed-text" does not support chat' });
  });

  it('when keep_alive is not a duration, then the server answers 400 with Go wording', async () => {
    const unit = await rejectionOf(ollama.chat({ model: 'llama3.2:1b', messages, keep_alive: '300' }));
    expect(unit).toMatchObject({ status_code: 400, message: 'time: missing unit in duration "300"' });
    const garbage = await rejectionOf(ollama.chat({ model: 'llama3.2:1b', messages, keep_alive: 'soon' }));
    expect(garbage.message).toBe('time: invalid duration "soon"');
    await expect(ollama.chat({ model: 'llama3.2:1b', messages, keep_alive: 300 })).resolves.toBeTruthy();
    await expect(ollama.chat({ model: 'llama3.2:1b', messages, keep_alive: '1h30m' })).resolves.toBeTruthy();
  });

  it('when the body is missing, not JSON, or has no model, then the server answers 400 with its wording', async () => {
    const post = (body: string) => fetch(`${fake.url}/api/chat`, { method: 'POST', body });
    expect(await (await post('')).json()).toEqual({ error: 'missing request body' });
    const notJson = await post('hello');
    expect(notJson.status).toBe(400);
    expect(await notJson.json()).toEqual({ error: "invalid character 'h' looking for beginning of value" });
    expect(await (await post('{"messages":[]}')).json()).toEqual({ error: 'model is required' });
  });

  it('when a scripted error is served, then the client sees a ResponseError with its status and message', async () => {
    fake.enqueue(reply.error(503, 'server busy, please try again.  maximum pending requests exceeded'));
    const error = await rejectionOf(ollama.chat({ model: 'llama3.2:1b', messages }));
    expect(error).toMatchObject({ name: 'ResponseError', status_code: 503 });
  });

  it('when the connection is reset, then the client fails with fetch failed', async () => {
    fake.enqueue(reply.reset());
    const error = await rejectionOf(ollama.chat({ model: 'llama3.2:1b', messages }));
    expect(error).toBeInstanceOf(TypeError);
    expect(error.message).toBe('fetch failed');
    expect(await fake.generationRequests()[0]?.outcome).toBe('reset');
  });

  it('when an unknown path is asked, then the answer is gin\'s plain-text 404', async () => {
    const response = await fetch(`${fake.url}/api/nothing`);
    expect(response.status).toBe(404);
    expect(await response.text()).toBe('404 page not found');
  });

  it('when a request validation fails, then no scripted reply is used up', async () => {
    fake.enqueue(reply.text('kept'));
    await rejectionOf(ollama.chat({ model: 'missing', messages }));
    expect(fake.pendingReplies).toBe(1);
  });
});

describe('timing', () => {
  it('when a reply is slow, then it arrives after its delay', async () => {
    fake.enqueue(reply.text('late', { delayMs: 150 }));
    const started = performance.now();
    const response = await ollama.chat({ model: 'llama3.2:1b', messages });
    expect(response.message.content).toBe('late');
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('when a reply never ends and the client aborts, then the fake sees the client close the connection', async () => {
    fake.enqueue(reply.hang());
    const controller = new AbortController();
    const call = clientFor(fake.url, controller.signal).chat({ model: 'llama3.2:1b', messages });
    await vi.waitFor(() => expect(fake.generationRequests()).toHaveLength(1));
    controller.abort();
    const error = await rejectionOf(call);
    expect(error.name).toBe('AbortError');
    expect(await fake.generationRequests()[0]?.outcome).toBe('client-closed');
  });

  it('when a stream stalls after some chunks, then the client can abort it and the fake sees it go', async () => {
    fake.enqueue(reply.hang('{"drafts": ['));
    const stream = await ollama.chat({ model: 'llama3.2:1b', messages, stream: true });
    const received: string[] = [];
    const reading = (async () => {
      for await (const chunk of stream) received.push(chunk.message.content);
    })();
    await vi.waitFor(() => expect(received.join('')).toBe('{"drafts": ['));
    stream.abort();
    expect((await rejectionOf(reading)).name).toBe('AbortError');
    expect(await fake.generationRequests()[0]?.outcome).toBe('client-closed');
  });

  it('when the fake closes with a request hanging, then close does not wait for it', async () => {
    const other = await startFakeOllama();
    other.enqueue(reply.hang());
    const call = rejectionOf(new Ollama({ host: other.url }).chat({ model: 'llama3.2:1b', messages }));
    await vi.waitFor(() => expect(other.generationRequests()).toHaveLength(1));
    await other.close();
    expect((await call).message).toBe('fetch failed');
    expect(await other.generationRequests()[0]?.outcome).toBe('server-closed');
  });
});

describe('generate, models, version', () => {
  it('when generate is called, then the answer is in response with a context, streamed or not', async () => {
    fake.enqueue(reply.text('Hello there.'), reply.text('Hello again.'));
    const single = await ollama.generate({ model: 'llama3.2:1b', prompt: 'Say hello', system: 'Be brief.' });
    expect(single).toMatchObject({ response: 'Hello there.', done: true, done_reason: 'stop' });
    expect(single.context.length).toBeGreaterThan(0);

    const parts = [];
    for await (const chunk of await ollama.generate({ model: 'llama3.2:1b', prompt: 'Again', stream: true })) parts.push(chunk);
    expect(parts.map((part) => part.response).join('')).toBe('Hello again.');
    expect(parts.at(-1)?.context?.length).toBeGreaterThan(0);
  });

  it('when generate sends a schema, then the response conforms to it', async () => {
    const schema = z.toJSONSchema(z.object({ label: z.enum(['negative', 'neutral', 'positive']), score: z.number().min(-1).max(1) }));
    const response = await ollama.generate({ model: 'llama3.2:1b', prompt: 'Score it', format: schema });
    expect(JSON.parse(response.response ?? '')).toEqual({ label: 'negative', score: 0 });
  });

  it('when an empty chat is sent, then the model is loaded (done_reason load) and no reply is used', async () => {
    fake.enqueue(reply.text('kept'));
    const response = await ollama.chat({ model: 'llama3.2:1b', messages: [] });
    expect(response).toMatchObject({ done: true, done_reason: 'load', message: { role: 'assistant', content: '' } });
    expect(fake.pendingReplies).toBe(1);
  });

  it('when the models are listed, then /api/tags has each with its details', async () => {
    const { models } = await ollama.list();
    expect(models.map((model) => model.name)).toContain('llama3.2:1b');
    const llama = models.find((model) => model.name === 'llama3.2:1b');
    expect(llama).toMatchObject({ model: 'llama3.2:1b', size: expect.any(Number), digest: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(llama?.details).toMatchObject({ format: 'gguf', family: 'llama', parameter_size: '1.2B' });
  });

  it('when a model is shown, then /api/show lists its capabilities (none on an old-server model) and 404s an unknown one', async () => {
    expect((await ollama.show({ model: 'qwen3:0.6b' })).capabilities).toContain('thinking');
    expect((await ollama.show({ model: 'llama3.2:1b' })).capabilities).not.toContain('thinking');
    fake.addModel({ name: 'vintage:1b', family: 'llama', parameterSize: '1B', quantization: 'Q4_0', sizeBytes: 1, contextLength: 2048, capabilities: undefined });
    expect((await ollama.show({ model: 'vintage:1b' })).capabilities).toBeUndefined();
    const missing = await rejectionOf(ollama.show({ model: 'mistral' }));
    expect(missing).toMatchObject({ status_code: 404, message: "model 'mistral' not found" });
    fake.removeModel('vintage:1b');
  });

  it('when the version is asked, then /api/version answers it, and / says Ollama is running', async () => {
    expect(await ollama.version()).toEqual({ version: '0.12.6' });
    expect(await (await fetch(fake.url)).text()).toBe('Ollama is running');
  });
});
