import { ModelFailure } from '../../domain/model-failure.js';
import type { OllamaConnection } from './ollama-connection.js';
import { showResponseSchema } from './wire-schemas.js';

/** Whether a model can think: known yes or no, or `unknown` when the server does not say (before 0.6.4). */
export type ThinkingSupport = 'yes' | 'no' | 'unknown';

/**
 * What each model can do, learned from `/api/show` (`capabilities`) and kept for `ttlMs`; a 400
 * "does not support thinking" teaches the same when the server did not say. A model re-pulled with
 * other abilities is noticed when the entry expires.
 */
export class ModelCapabilities {
  private readonly known = new Map<string, { thinking: ThinkingSupport; at: number }>();

  constructor(
    private readonly connection: OllamaConnection,
    private readonly options: { ttlMs?: number; now?: () => number } = {},
  ) {}

  async thinking(model: string, signal?: AbortSignal): Promise<ThinkingSupport> {
    const now = this.now();
    const cached = this.known.get(model);
    if (cached && now - cached.at < (this.options.ttlMs ?? 10 * 60_000)) return cached.thinking;

    const raw = await this.connection.call(`showing model ${model}`, (client) => client.show({ model }), signal);
    const parsed = showResponseSchema.safeParse(raw);
    if (!parsed.success) throw new ModelFailure('server', `showing model ${model}: unexpected answer from /api/show`, { model });
    const capabilities = parsed.data.capabilities;
    const thinking: ThinkingSupport = capabilities === undefined ? 'unknown' : capabilities.includes('thinking') ? 'yes' : 'no';
    this.known.set(model, { thinking, at: now });
    return thinking;
  }

  /** The server refused `think` for this model. */
  learnCannotThink(model: string): void {
    this.known.set(model, { thinking: 'no', at: this.now() });
  }

  private now(): number {
    return this.options.now?.() ?? Date.now();
  }
}
