import { backoffDelay, describeError, sleep as pause, type Logger } from '@trendcast/core';
import { GenerationCancelledError } from '../domain/generation-errors.js';
import { ModelFailure } from '../domain/model-failure.js';

export interface GenerationPolicy {
  /** Rounds of writing: the first, plus regenerations of drafts the checks rejected (GENERATION_MAX_ATTEMPTS). */
  maxRounds: number;
  /** Tries of one model request that fails transiently: unreachable, timeout, server error, bad output (OLLAMA_MAX_ATTEMPTS). */
  modelAttempts: number;
  /** Backoff between those tries: retry n waits half to all of base·2^(n-1), capped at max. */
  retryBaseMs: number;
  retryMaxMs: number;
  /** When the model still fails after its tries: write the drafts offline, or fail the generation. */
  onModelFailure: 'fallback' | 'fail';
}

export interface RetryDeps {
  policy: GenerationPolicy;
  logger: Logger;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  random?: () => number;
}

/**
 * Runs `work` until it succeeds, retrying transient ModelFailures with backoff up to
 * `policy.modelAttempts` tries; other failures and the last one are thrown. A cancelled caller stops
 * it at once.
 */
export async function retrying<T>(what: string, work: () => Promise<T>, deps: RetryDeps, signal?: AbortSignal): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await work();
    } catch (error) {
      if (signal?.aborted || (error instanceof ModelFailure && error.kind === 'cancelled')) throw new GenerationCancelledError({ cause: error });
      if (!(error instanceof ModelFailure) || !error.transient || attempt >= deps.policy.modelAttempts) throw error;
      const delayMs = backoffDelay(attempt, { baseMs: deps.policy.retryBaseMs, maxMs: deps.policy.retryMaxMs, ...(deps.random ? { random: deps.random } : {}) });
      deps.logger.warn({ attempt, of: deps.policy.modelAttempts, delayMs, kind: error.kind, error: describeError(error) }, `${what} failed; trying again`);
      await (deps.sleep ?? pause)(delayMs, signal);
      if (signal?.aborted) throw new GenerationCancelledError();
    }
  }
}
