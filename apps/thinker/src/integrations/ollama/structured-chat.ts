import { silentLogger, type Logger } from '@trendcast/core';
import type { ChatRequest, Ollama } from 'ollama';
import { z } from 'zod';
import { ModelFailure } from '../../domain/model-failure.js';
import type { ChatMessage } from '../../domain/prompt.js';
import { stripThinkBlocks } from '../../domain/think-blocks.js';
import type { ModelCapabilities } from './model-capabilities.js';
import type { OllamaConnection } from './ollama-connection.js';
import type { OllamaSettings, ThinkSetting } from './ollama-settings.js';
import { chatChunkSchema } from './wire-schemas.js';

export interface StructuredRequest<S extends z.ZodType> {
  /** Names the call in errors and logs ("writing drafts"). */
  what: string;
  messages: readonly ChatMessage[];
  /** The reply's shape: sent as `format` (its JSON Schema), then used to validate the reply. */
  schema: S;
  /** Added to the configured seed, so a retry does not ask for the very answer that just failed. */
  variation?: number;
  temperature?: number;
}

export interface StructuredAnswer<T> {
  value: T;
  /** Reasoning the model gave apart (`message.thinking`) or inline (`<think>` blocks), never part of `value`. */
  thinking: string;
  model: string;
}

/**
 * One chat with structured output: the JSON Schema of the reply's zod schema as `format`, the
 * configured temperature, seed, num_predict and keep_alive, `think` as the model allows, the answer
 * streamed (so a slow model never trips a headers timeout and a timeout cuts it mid-way), reasoning
 * kept apart, inline `<think>` blocks removed, then parsed and validated.
 */
export class StructuredChat {
  constructor(
    private readonly connection: OllamaConnection,
    private readonly capabilities: ModelCapabilities,
    private readonly settings: OllamaSettings,
    private readonly logger: Logger = silentLogger,
  ) {}

  get model(): string {
    return this.settings.model;
  }

  async ask<S extends z.ZodType>(request: StructuredRequest<S>, signal?: AbortSignal): Promise<StructuredAnswer<z.output<S>>> {
    const { model } = this.settings;
    const think = await this.thinkFor(model, signal);
    const body: ChatRequest & { stream: true } = {
      model,
      messages: request.messages.map((message) => ({ role: message.role, content: message.content })),
      format: z.toJSONSchema(request.schema),
      stream: true,
      keep_alive: this.settings.keepAlive,
      options: {
        temperature: request.temperature ?? this.settings.temperature,
        num_predict: this.settings.numPredict,
        ...(this.settings.seed === undefined ? {} : { seed: this.settings.seed + (request.variation ?? 0) }),
      },
      ...(think === undefined ? {} : { think }),
    };

    let raw: { content: string; thinking: string; doneReason: string | undefined };
    try {
      raw = await this.connection.call(request.what, (client) => streamChat(client, body), signal);
    } catch (error) {
      if (!(error instanceof ModelFailure && error.kind === 'unsupported' && think !== undefined && /thinking/iu.test(error.message))) throw error;
      // The server did not say the model cannot think, and refused `think`: remember, and ask without it.
      this.capabilities.learnCannotThink(model);
      this.logger.info({ model }, 'the model cannot think; asking again without think');
      const { think: _refused, ...withoutThink } = body;
      raw = await this.connection.call(request.what, (client) => streamChat(client, withoutThink), signal);
    }

    const inline = stripThinkBlocks(raw.content);
    const thinking = [raw.thinking, inline.thinking].filter(Boolean).join('\n\n');
    if (thinking) this.logger.debug({ model, thinkingCharacters: thinking.length }, 'the model reasoned before answering');
    return { value: parseReply(request, inline.text, raw.doneReason, model), thinking, model };
  }

  /**
   * `think` to send: the setting for a model that can think (thinking models think unless told not
   * to); nothing for one that cannot; for a server that does not say, `false` is safe (servers refuse
   * only a request to think) and a request to think is tried and learnt from.
   */
  private async thinkFor(model: string, signal?: AbortSignal): Promise<ThinkSetting | undefined> {
    const support = await this.capabilities.thinking(model, signal);
    if (support === 'yes') return this.settings.think;
    if (support === 'no') return undefined;
    return this.settings.think;
  }
}

async function streamChat(client: Ollama, body: ChatRequest & { stream: true }) {
  let content = '';
  let thinking = '';
  let doneReason: string | undefined;
  for await (const chunk of await client.chat(body)) {
    const parsed = chatChunkSchema.safeParse(chunk);
    if (!parsed.success) throw new Error(`unexpected chunk in the answer stream: ${JSON.stringify(chunk).slice(0, 200)}`);
    content += parsed.data.message?.content ?? '';
    thinking += parsed.data.message?.thinking ?? '';
    if (parsed.data.done) doneReason = parsed.data.done_reason;
  }
  return { content, thinking, doneReason };
}

function parseReply<S extends z.ZodType>(request: StructuredRequest<S>, text: string, doneReason: string | undefined, model: string): z.output<S> {
  const fail = (why: string) => new ModelFailure('bad-output', `${request.what}: ${model} ${why}`, { model });
  let json: unknown;
  try {
    json = JSON.parse(withoutCodeFence(text));
  } catch {
    if (doneReason === 'length') throw fail(`was cut off at num_predict before its JSON was complete: ${preview(text)}`);
    throw fail(`did not answer JSON: ${preview(text)}`);
  }
  const result = request.schema.safeParse(json);
  if (!result.success) throw fail(`answered JSON that does not match the schema (${summarize(result.error)}): ${preview(text)}`);
  return result.data;
}

/** Some models wrap JSON in a Markdown code fence even when asked for JSON only. */
function withoutCodeFence(text: string): string {
  const fenced = /^```(?:json)?\s*\n([\s\S]*?)\n?```$/u.exec(text.trim());
  return fenced?.[1] ?? text;
}

function summarize(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.join('.') || 'reply'}: ${issue.message}`)
    .join('; ');
}

function preview(text: string): string {
  const oneLine = text.replace(/\s+/gu, ' ').trim();
  return oneLine.length > 160 ? `${JSON.stringify(oneLine.slice(0, 160))}…` : JSON.stringify(oneLine);
}
