import { silentLogger, type Logger } from '@trendcast/core';
import { listOllamaModels, type OllamaModelInfo } from './list-ollama-models.js';
import { ModelCapabilities } from './model-capabilities.js';
import { OllamaConnection } from './ollama-connection.js';
import { OllamaDraftWriter } from './ollama-draft-writer.js';
import { OllamaSentimentScorer } from './ollama-sentiment-scorer.js';
import type { OllamaSettings } from './ollama-settings.js';
import { StructuredChat } from './structured-chat.js';

export interface OllamaIntegration {
  settings: OllamaSettings;
  writer: OllamaDraftWriter;
  scorer: OllamaSentimentScorer;
  listModels(signal?: AbortSignal): Promise<OllamaModelInfo[]>;
}

/** Everything thinker needs from one Ollama server and model, sharing one capability cache. */
export function createOllamaIntegration(
  settings: OllamaSettings,
  options: { logger?: Logger; fetch?: typeof fetch; sentimentBatchSize?: number } = {},
): OllamaIntegration {
  const logger = options.logger ?? silentLogger;
  const connection = new OllamaConnection({ host: settings.host, timeoutMs: settings.timeoutMs, ...(options.fetch ? { fetch: options.fetch } : {}) });
  const chat = new StructuredChat(connection, new ModelCapabilities(connection), settings, logger);
  return {
    settings,
    writer: new OllamaDraftWriter(chat),
    scorer: new OllamaSentimentScorer(chat, { ...(options.sentimentBatchSize ? { batchSize: options.sentimentBatchSize } : {}) }),
    listModels: (signal) => listOllamaModels(connection, signal),
  };
}

export { OllamaConnection, classify } from './ollama-connection.js';
export { ModelCapabilities, type ThinkingSupport } from './model-capabilities.js';
export { StructuredChat, type StructuredAnswer, type StructuredRequest } from './structured-chat.js';
export { OllamaDraftWriter } from './ollama-draft-writer.js';
export { OllamaSentimentScorer } from './ollama-sentiment-scorer.js';
export { listOllamaModels, type OllamaModelInfo } from './list-ollama-models.js';
export type { OllamaSettings, ThinkSetting } from './ollama-settings.js';
