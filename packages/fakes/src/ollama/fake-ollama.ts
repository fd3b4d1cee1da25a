import { createHash } from 'node:crypto';
import http, { type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { canThink, defaultFakeModels, modelKey, type FakeModel } from './models.js';
import { reply as replies, type AnswerReply, type FakeReply } from './replies.js';
import { exampleFor, UnsupportedSchemaError } from './schema-example.js';
import {
  formatProblem,
  jsonSyntaxProblem,
  keepAliveProblem,
  metricsFor,
  thinkProblem,
  thinkRequested,
  tokenize,
} from './wire.js';

export interface FakeOllamaOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: string;
  models?: readonly FakeModel[];
  /** What `/api/version` answers. */
  version?: string;
  /**
   * The 404 text for an unknown model on chat and generate: `pull-hint` is
   * `model "x" not found, try pulling it first` (the scheduler's wording, and older servers');
   * `current` is `model 'x' not found` (what current servers answer first).
   */
  notFoundMessage?: 'pull-hint' | 'current';
  /** Wait before every chat or generate answer unless its reply sets its own (a slow machine). */
  delayMs?: number;
  /** Wait between streamed chunks unless the reply sets its own. */
  chunkDelayMs?: number;
}

/** How a request ended, as the server saw it. */
export type RequestOutcome = 'answered' | 'client-closed' | 'reset' | 'server-closed';

export interface SeenOllamaRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** The parsed JSON body (undefined when there was none or it was not JSON). */
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- tests read whatever the client sent
  rawBody: string;
  receivedAt: Date;
  /** The reply a chat or generate call was given (scripted, from the handler, or the default). */
  reply?: FakeReply;
  /** Settles when the exchange ends; `client-closed` proves the client really stopped the request. */
  outcome: Promise<RequestOutcome>;
}

export type ReplyHandler = (request: SeenOllamaRequest) => FakeReply | undefined;

export interface FakeOllama {
  /** `http://127.0.0.1:<port>`: give it to `new Ollama({ host })`. */
  readonly url: string;
  readonly port: number;
  /** Every request received, oldest first. */
  readonly requests: readonly SeenOllamaRequest[];
  /** The chat and generate requests only. */
  generationRequests(): SeenOllamaRequest[];
  /** Replies for the next chat or generate calls, one per call, in order (calls that fail validation use none). */
  enqueue(...replies: FakeReply[]): void;
  /** Scripted replies not used yet. */
  readonly pendingReplies: number;
  /** Decides replies once the queue is empty; `undefined` from it means the default answer. */
  respondWith(handler: ReplyHandler | undefined): void;
  addModel(model: FakeModel): void;
  removeModel(name: string): void;
  /** Forgets requests, scripted replies and the handler. */
  reset(): void;
  close(): Promise<void>;
}

const defaultThinking = 'The user wants an answer in the requested format. I will keep it short and follow the instructions.';

/**
 * Starts a local stand-in for an Ollama server speaking its HTTP API as the real server does:
 * `/api/chat` and `/api/generate` (NDJSON streaming by default, one JSON object with
 * `"stream": false`), structured outputs (`format`: a JSON Schema the answer conforms to, or "json"),
 * `think` (reasoning apart in `thinking` for models that can think, 400 for `think: true` on those
 * that cannot), `/api/tags`, `/api/show` (with `capabilities`), `/api/version`, `/api/ps` and `/`,
 * with the server's error bodies and status codes. Tests script replies per request and read what
 * was sent.
 */
export async function startFakeOllama(options: FakeOllamaOptions = {}): Promise<FakeOllama> {
  const server = new FakeOllamaServer(options);
  await server.listen();
  return server;
}

class FakeOllamaServer implements FakeOllama {
  readonly requests: SeenOllamaRequest[] = [];
  private readonly models = new Map<string, FakeModel>();
  private readonly queue: FakeReply[] = [];
  private handler: ReplyHandler | undefined;
  private readonly server: http.Server;
  private readonly sockets = new Set<Socket>();
  private readonly open = new Set<{ end: (outcome: RequestOutcome) => void }>();
  private readonly startedAt = new Date();

  constructor(private readonly options: FakeOllamaOptions) {
    for (const model of options.models ?? defaultFakeModels) this.addModel(model);
    this.server = http.createServer((request, response) => this.accept(request, response));
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  listen(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.options.port ?? 0, this.options.host ?? '127.0.0.1', () => {
        this.server.off('error', reject);
        resolve();
      });
    });
  }

  get port(): number {
    const address = this.server.address();
    if (!address || typeof address === 'string') throw new Error('the fake Ollama is not listening');
    return address.port;
  }

  get url(): string {
    const host = this.options.host ?? '127.0.0.1';
    return `http://${host.includes(':') ? `[${host}]` : host}:${this.port}`;
  }

  generationRequests(): SeenOllamaRequest[] {
    return this.requests.filter((request) => request.path === '/api/chat' || request.path === '/api/generate');
  }

  enqueue(...replies: FakeReply[]): void {
    this.queue.push(...replies);
  }

  get pendingReplies(): number {
    return this.queue.length;
  }

  respondWith(handler: ReplyHandler | undefined): void {
    this.handler = handler;
  }

  addModel(model: FakeModel): void {
    this.models.set(modelKey(model.name), model);
  }

  removeModel(name: string): void {
    this.models.delete(modelKey(name));
  }

  reset(): void {
    this.requests.length = 0;
    this.queue.length = 0;
    this.handler = undefined;
  }

  async close(): Promise<void> {
    for (const exchange of this.open) exchange.end('server-closed');
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }

  // ---- one exchange ----------------------------------------------------------------------------

  private accept(request: IncomingMessage, response: ServerResponse): void {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const rawBody = Buffer.concat(chunks).toString('utf8');
      let settle: (outcome: RequestOutcome) => void = () => {};
      const outcome = new Promise<RequestOutcome>((resolve) => (settle = resolve));
      const seen: SeenOllamaRequest = {
        method: request.method ?? 'GET',
        path: new URL(request.url ?? '/', 'http://fake').pathname,
        headers: request.headers,
        body: parseJson(rawBody),
        rawBody,
        receivedAt: new Date(),
        outcome,
      };
      this.requests.push(seen);
      const exchange = new Exchange(response, (result) => {
        this.open.delete(exchange);
        settle(result);
      });
      this.open.add(exchange);
      void this.route(seen, exchange).catch((error: unknown) => exchange.fail(error));
    });
  }

  private async route(seen: SeenOllamaRequest, exchange: Exchange): Promise<void> {
    const { method, path } = seen;
    const read = method === 'GET' || method === 'HEAD';
    if (read && path === '/') return exchange.text(200, 'Ollama is running');
    if (read && path === '/api/version') return exchange.json(200, { version: this.options.version ?? '0.12.6' });
    if (read && path === '/api/tags') return exchange.json(200, { models: [...this.models.values()].map((model) => this.listing(model)) });
    if (read && path === '/api/ps') return exchange.json(200, { models: [] });
    if (method === 'POST' && path === '/api/show') return this.show(seen, exchange);
    if (method === 'POST' && path === '/api/chat') return this.generate(seen, exchange, 'chat');
    if (method === 'POST' && path === '/api/generate') return this.generate(seen, exchange, 'generate');
    // gin's answer for an unknown route or method.
    return exchange.text(404, '404 page not found');
  }

  private show(seen: SeenOllamaRequest, exchange: Exchange): void {
    const problem = bodyProblem(seen);
    if (problem) return exchange.error(400, problem);
    const name = typeof seen.body.model === 'string' && seen.body.model ? seen.body.model : seen.body.name;
    if (typeof name !== 'string' || !name) return exchange.error(400, 'model is required');
    const model = this.models.get(modelKey(name));
    if (!model) return exchange.error(404, `model '${name}' not found`);
    exchange.json(200, {
      modelfile: `# Modelfile generated by "ollama show"\n# To build a new Modelfile based on this one, replace the FROM line with:\n# FROM ${model.name}\n\nFROM ${blobPath(model)}\nTEMPLATE {{ .Prompt }}\n`,
      parameters: 'stop                           "<|eot_id|>"',
      template: '{{ if .System }}{{ .System }}\n{{ end }}{{ .Prompt }}',
      details: this.details(model),
      model_info: {
        'general.architecture': model.family,
        'general.parameter_count': parameterCount(model.parameterSize),
        [`${model.family}.context_length`]: model.contextLength,
      },
      ...(model.capabilities ? { capabilities: model.capabilities } : {}),
      modified_at: this.startedAt.toISOString(),
    });
  }

  private async generate(seen: SeenOllamaRequest, exchange: Exchange, endpoint: 'chat' | 'generate'): Promise<void> {
    const problem = bodyProblem(seen) ?? requestProblem(seen.body, endpoint);
    if (problem) return exchange.error(400, problem);
    const body = seen.body as GenerationBody;
    const model = this.models.get(modelKey(body.model));
    if (!model) {
      const message =
        this.options.notFoundMessage === 'current'
          ? `model '${body.model}' not found`
          : `model ${JSON.stringify(body.model)} not found, try pulling it first`;
      return exchange.error(404, message);
    }
    if (!model.capabilities?.includes('completion') && model.capabilities !== undefined) {
      return exchange.error(400, `${JSON.stringify(body.model)} does not support ${endpoint}`);
    }
    if (thinkRequested(body.think) && !canThink(model)) {
      return exchange.error(400, `${JSON.stringify(body.model)} does not support thinking`);
    }

    const stream = body.stream !== false;
    const envelope = new Envelope(endpoint, body.model);
    const nothingToSay = endpoint === 'chat' ? !body.messages || body.messages.length === 0 : !body.prompt;
    if (nothingToSay) {
      // An empty request loads (or, with keep_alive 0, unloads) the model.
      const doneReason = body.keep_alive === 0 || body.keep_alive === '0' ? 'unload' : endpoint === 'chat' ? 'load' : undefined;
      return exchange.json(200, envelope.chunk('', '', true, doneReason));
    }

    const scripted = this.queue.shift() ?? this.handler?.(seen) ?? replies.conforming();
    seen.reply = scripted;
    const delayMs = ('delayMs' in scripted ? scripted.delayMs : undefined) ?? this.options.delayMs ?? 0;
    const chunkDelayMs = ('chunkDelayMs' in scripted ? scripted.chunkDelayMs : undefined) ?? this.options.chunkDelayMs ?? 0;
    if (scripted.kind === 'reset') return exchange.reset();
    if (scripted.kind === 'hang' && (!stream || scripted.content === undefined)) return; // nothing, ever
    if (!(await exchange.wait(delayMs))) return;

    const formatError = formatProblem(body.format);
    if (formatError) return exchange.error(500, formatError);
    if (scripted.kind === 'error') return exchange.error(scripted.status, scripted.message);
    if (scripted.kind === 'stream-error' && !stream) return exchange.error(500, scripted.message);

    let answer: { thinking: string; content: string; doneReason: 'stop' | 'length' };
    try {
      answer = this.compose(model, body, scripted);
    } catch (error) {
      if (error instanceof UnsupportedSchemaError) return exchange.error(500, `invalid format: ${error.message}`);
      throw error;
    }
    const promptTokens = tokenize(promptText(body)).length;
    const outputTokens = tokenize(answer.thinking).length + tokenize(answer.content).length;
    const finalChunk = () => ({
      ...envelope.chunk('', '', true, answer.doneReason),
      ...metricsFor(promptTokens, outputTokens, Date.now() - seen.receivedAt.getTime()),
      ...(endpoint === 'generate' ? { context: Array.from({ length: Math.min(promptTokens + outputTokens, 64) }, (_, i) => i + 1) } : {}),
    });

    if (!stream) {
      return exchange.json(200, { ...finalChunk(), ...envelope.content(answer.content, answer.thinking) }, 'application/json; charset=utf-8');
    }
    exchange.startStream();
    for (const piece of tokenize(answer.thinking)) {
      if (!(await exchange.send(envelope.chunk('', piece, false), chunkDelayMs))) return;
    }
    for (const piece of tokenize(answer.content)) {
      if (!(await exchange.send(envelope.chunk(piece, '', false), chunkDelayMs))) return;
    }
    if (scripted.kind === 'hang') return; // the stream stalls here until the client gives up
    if (scripted.kind === 'stream-error') return exchange.finishStream({ error: scripted.message });
    exchange.finishStream(finalChunk());
  }

  /** What the model writes for this request: the scripted text, or one conforming to the format. */
  private compose(
    model: FakeModel,
    body: GenerationBody,
    scripted: Exclude<FakeReply, { kind: 'error' | 'reset' }>,
  ): { thinking: string; content: string; doneReason: 'stop' | 'length' } {
    const answer: AnswerReply = scripted.kind === 'answer' ? scripted : { kind: 'answer', content: scripted.content ?? '' };
    let content = answer.content ?? defaultContent(body.format, model.name);
    // A thinking model thinks unless told not to (the server turns `think` on when it is absent).
    const thinks = canThink(model) && (body.think === undefined || body.think === null || thinkRequested(body.think));
    let thinking = thinks ? (answer.thinking ?? defaultThinking) : '';
    if (model.inlineThink && !/^\s*<think>/u.test(content)) {
      content = `<think>\n${answer.thinking ?? defaultThinking}\n</think>\n\n${content}`;
    }
    let doneReason = answer.doneReason ?? 'stop';
    const limit = typeof body.options?.num_predict === 'number' && body.options.num_predict > 0 ? body.options.num_predict : undefined;
    if (limit !== undefined) {
      const thoughts = tokenize(thinking);
      const words = tokenize(content);
      if (thoughts.length + words.length > limit) {
        thinking = thoughts.slice(0, limit).join('');
        content = words.slice(0, Math.max(0, limit - thoughts.length)).join('');
        doneReason = 'length';
      }
    }
    return { thinking, content, doneReason };
  }

  private listing(model: FakeModel) {
    return {
      name: model.name,
      model: model.name,
      modified_at: this.startedAt.toISOString(),
      size: model.sizeBytes,
      digest: digestOf(model),
      details: this.details(model),
    };
  }

  private details(model: FakeModel) {
    return {
      parent_model: '',
      format: 'gguf',
      family: model.family,
      families: [model.family],
      parameter_size: model.parameterSize,
      quantization_level: model.quantization,
    };
  }
}

interface GenerationBody {
  model: string;
  messages?: Array<{ role?: unknown; content?: unknown }>;
  prompt?: string;
  system?: string;
  format?: unknown;
  think?: unknown;
  stream?: boolean;
  keep_alive?: unknown;
  options?: { num_predict?: unknown; [name: string]: unknown };
}

/** The envelope of every chat or generate object. */
class Envelope {
  constructor(
    private readonly endpoint: 'chat' | 'generate',
    private readonly model: string,
  ) {}

  chunk(content: string, thinking: string, done: boolean, doneReason?: string): Record<string, unknown> {
    return {
      model: this.model,
      created_at: new Date().toISOString(),
      ...this.content(content, thinking),
      done,
      ...(doneReason ? { done_reason: doneReason } : {}),
    };
  }

  content(content: string, thinking: string): Record<string, unknown> {
    if (this.endpoint === 'chat') {
      return { message: { role: 'assistant', content, ...(thinking ? { thinking } : {}) } };
    }
    return { response: content, ...(thinking ? { thinking } : {}) };
  }
}

/** One HTTP exchange: answers once, and knows when the client went away. */
class Exchange {
  private ended = false;
  private readonly closed: Promise<void>;

  constructor(
    private readonly response: ServerResponse,
    private readonly onEnd: (outcome: RequestOutcome) => void,
  ) {
    this.closed = new Promise((resolve) => {
      response.on('close', () => {
        this.end(response.writableFinished ? 'answered' : 'client-closed');
        resolve();
      });
    });
  }

  end(outcome: RequestOutcome): void {
    if (this.ended) return;
    this.ended = true;
    this.onEnd(outcome);
    if (outcome === 'server-closed' || outcome === 'reset') this.response.destroy();
  }

  /** Waits, unless the client leaves first; false when it left. */
  async wait(ms: number): Promise<boolean> {
    if (ms > 0) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([new Promise((resolve) => (timer = setTimeout(resolve, ms))), this.closed]);
      clearTimeout(timer);
    }
    return !this.ended;
  }

  text(status: number, body: string): void {
    this.response.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' }).end(body);
  }

  json(status: number, body: unknown, contentType = 'application/json; charset=utf-8'): void {
    this.response.writeHead(status, { 'content-type': contentType }).end(JSON.stringify(body));
  }

  error(status: number, message: string): void {
    this.json(status, { error: message });
  }

  startStream(): void {
    this.response.writeHead(200, { 'content-type': 'application/x-ndjson' });
  }

  async send(line: unknown, delayMs: number): Promise<boolean> {
    if (!(await this.wait(delayMs))) return false;
    this.response.write(`${JSON.stringify(line)}\n`);
    return true;
  }

  finishStream(line: unknown): void {
    this.response.end(`${JSON.stringify(line)}\n`);
  }

  reset(): void {
    this.end('reset');
  }

  fail(error: unknown): void {
    if (this.response.headersSent) this.response.destroy(error instanceof Error ? error : new Error(String(error)));
    else this.error(500, error instanceof Error ? error.message : String(error));
  }
}

function parseJson(raw: string): unknown {
  if (!raw.trim()) return undefined;
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return undefined;
  }
}

function bodyProblem(seen: SeenOllamaRequest): string | undefined {
  if (!seen.rawBody.trim()) return 'missing request body';
  if (seen.body === undefined) return jsonSyntaxProblem(seen.rawBody);
  if (typeof seen.body !== 'object' || seen.body === null || Array.isArray(seen.body)) {
    return `json: cannot unmarshal ${Array.isArray(seen.body) ? 'array' : typeof seen.body} into Go value of type api.Request`;
  }
  return undefined;
}

function requestProblem(body: Record<string, unknown>, endpoint: 'chat' | 'generate'): string | undefined {
  const structName = endpoint === 'chat' ? 'ChatRequest' : 'GenerateRequest';
  if (body.model !== undefined && typeof body.model !== 'string') {
    return `json: cannot unmarshal ${typeof body.model} into Go struct field ${structName}.model of type string`;
  }
  if (endpoint === 'chat' && body.messages !== undefined && body.messages !== null && !Array.isArray(body.messages)) {
    return `json: cannot unmarshal ${typeof body.messages} into Go struct field ChatRequest.messages of type []api.Message`;
  }
  if (endpoint === 'generate' && body.prompt !== undefined && typeof body.prompt !== 'string') {
    return `json: cannot unmarshal ${typeof body.prompt} into Go struct field GenerateRequest.prompt of type string`;
  }
  if (body.stream !== undefined && body.stream !== null && typeof body.stream !== 'boolean') {
    return `json: cannot unmarshal ${typeof body.stream} into Go struct field ${structName}.stream of type bool`;
  }
  const problem = thinkProblem(body.think) ?? keepAliveProblem(body.keep_alive);
  if (problem) return problem;
  if (typeof body.model !== 'string' || !body.model.trim()) return 'model is required';
  return undefined;
}

function defaultContent(format: unknown, modelName: string): string {
  if (format === 'json') return JSON.stringify({ response: `Sample text 1 from ${modelName}.` });
  if (typeof format === 'object' && format !== null) return JSON.stringify(exampleFor(format, modelName));
  return `Sample text 1 from ${modelName}.`;
}

function promptText(body: GenerationBody): string {
  if (body.messages) return body.messages.map((message) => (typeof message.content === 'string' ? message.content : '')).join('\n');
  return `${body.system ?? ''}\n${body.prompt ?? ''}`;
}

function digestOf(model: FakeModel): string {
  return createHash('sha256').update(model.name).digest('hex');
}

function blobPath(model: FakeModel): string {
  return `/root/.ollama/models/blobs/sha256-${digestOf(model)}`;
}

function parameterCount(size: string): number {
  const match = /^([\d.]+)([KMB])$/u.exec(size);
  if (!match) return 0;
  const scale = { K: 1e3, M: 1e6, B: 1e9 }[match[2] as 'K' | 'M' | 'B'];
  return Math.round(Number(match[1]) * scale);
}
