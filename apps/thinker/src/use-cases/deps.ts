import type { Logger } from '@trendcast/core';
import type { ThinkerDatabase } from '../db/client.js';
import type { ThinkerMetrics } from '../metrics.js';
import type { SentimentScorer } from '../sentiment/sentiment-scorer.js';
import type { GenerateQueue } from '../workers/generate-queue.js';
import type { GenerateDraftsDeps } from './generate-drafts.js';
import type { GenerationPolicy } from './generation-policy.js';

export interface ThinkerSettings {
  /** A draft scored negative at or below −this needs `override: true` to be approved. */
  approvalNegativeThreshold: number;
  /** Generations one user may have queued or running at once through the API. */
  maxGenerationsInFlight: number;
  /** A queued or running generation untouched this long is checked against Redis by the reconciler. */
  reconcileGraceMs: number;
}

/** Everything the use cases need, built once in the composition root (service.ts); each use case is `fn(deps, input)`. */
export interface ThinkerDeps {
  db: ThinkerDatabase;
  queue: GenerateQueue;
  /** The generation engine's own dependencies: the model (absent offline), the scorers, the retry policy. */
  engine: GenerateDraftsDeps;
  /** Scores texts outside a generation (edits, POST /thinker/sentiment), with the same retries and fallback. */
  sentiment: { scorer: SentimentScorer; fallbackScorer?: SentimentScorer | undefined; policy: GenerationPolicy };
  /** The Ollama server's models, when one is configured. */
  ollama?: { model: string; listModels(signal?: AbortSignal): Promise<Array<{ name: string }>> } | undefined;
  metrics: ThinkerMetrics;
  logger: Logger;
  settings: ThinkerSettings;
  now: () => Date;
}
