import { describeError, type Logger } from '@trendcast/core';
import { offlineModelName } from '../domain/offline-drafts.js';

export interface ModelListing {
  /** The model generations use: the configured Ollama model, or "offline". */
  default: string;
  models: Array<{ name: string; source: 'ollama' | 'offline' }>;
  /** Set when Ollama is configured but could not be asked. */
  ollamaError?: string;
}

/**
 * The models drafts can be written with: those pulled on the Ollama server, and the offline
 * generator, always there. An unreachable server still lists the offline generator and says why.
 */
export async function listModels(
  deps: { ollama?: { model: string; listModels(signal?: AbortSignal): Promise<Array<{ name: string }>> } | undefined; logger: Logger },
  signal?: AbortSignal,
): Promise<ModelListing> {
  const offline = { name: offlineModelName, source: 'offline' as const };
  if (!deps.ollama) return { default: offlineModelName, models: [offline] };
  try {
    const pulled = await deps.ollama.listModels(signal);
    return { default: deps.ollama.model, models: [...pulled.map((model) => ({ name: model.name, source: 'ollama' as const })), offline] };
  } catch (error) {
    deps.logger.warn({ error: describeError(error) }, 'listing the Ollama models failed');
    return { default: deps.ollama.model, models: [offline], ollamaError: describeError(error).message };
  }
}
