import type { FakeOllama } from '@trendcast/fakes';
import { createOllamaIntegration } from '../../src/integrations/ollama/index.js';
import type { OllamaSettings } from '../../src/integrations/ollama/ollama-settings.js';
import type { SentimentScorer } from '../../src/sentiment/sentiment-scorer.js';
import type { GenerateDraftsDeps } from '../../src/use-cases/generate-drafts.js';
import type { GenerationPolicy } from '../../src/use-cases/generation-policy.js';
import { MarkScorer, recordingLogger } from '../support/fixtures.js';
import { settingsFor } from '../support/ollama.js';

export interface HarnessOptions {
  fake?: FakeOllama;
  /** Point at this host instead of the fake (a closed port). */
  host?: string;
  settings?: Partial<OllamaSettings>;
  policy?: Partial<GenerationPolicy>;
  scorer?: SentimentScorer;
  fallbackScorer?: SentimentScorer;
}

/** The use case's dependencies around a fake Ollama (or none: offline), with backoff waits recorded instead of slept. */
export function harness(options: HarnessOptions = {}) {
  const logger = recordingLogger();
  const waits: number[] = [];
  const host = options.host ?? options.fake?.url;
  const integration = host ? createOllamaIntegration(settingsFor(host, options.settings), { logger }) : undefined;
  const deps: GenerateDraftsDeps = {
    writer: integration?.writer,
    scorer: options.scorer ?? new MarkScorer(),
    fallbackScorer: options.fallbackScorer,
    policy: { maxRounds: 3, modelAttempts: 3, retryBaseMs: 100, retryMaxMs: 1_000, onModelFailure: 'fallback', ...options.policy },
    clock: () => new Date(),
    logger,
    sleep: async (ms) => {
      waits.push(ms);
    },
    random: () => 0.5,
  };
  return { deps, logger, waits, integration };
}

/** Sentences about pizza until the text is longer than `characters`; drafts with different tags share almost no word triples. */
export function longDraft(characters: number, lead = 'Detroit style pizza searches are up 350% this year.', tag = 'a'): string {
  const sentences = [lead];
  for (let i = 1; sentences.join(' ').length <= characters; i += 1) sentences.push(`Slice ${tag}${i} keeps the crust crisp.`);
  return sentences.join(' ');
}
