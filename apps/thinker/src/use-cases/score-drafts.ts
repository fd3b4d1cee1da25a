import { describeError, type Logger } from '@trendcast/core';
import { z } from 'zod';
import { GenerationCancelledError } from '../domain/generation-errors.js';
import type { SentimentResult, SentimentScorer } from '../sentiment/sentiment-scorer.js';
import { retrying, type RetryDeps } from './generation-policy.js';

const resultSchema = z.object({
  label: z.enum(['negative', 'neutral', 'positive']),
  score: z.number().min(-1).max(1),
  confidence: z.number().min(0).max(1),
  model: z.string().min(1),
});

/** Could not score the drafts with the scorer or its fallback. */
export class SentimentFailedError extends Error {
  override readonly name = 'SentimentFailedError';
}

/**
 * One sentiment result per text, in order, checked: from the scorer (its transient model failures
 * retried), else from the fallback scorer when there is one.
 */
export async function scoreDrafts(
  texts: readonly string[],
  deps: RetryDeps & { scorer: SentimentScorer; fallbackScorer?: SentimentScorer | undefined; logger: Logger },
  signal?: AbortSignal,
): Promise<SentimentResult[]> {
  try {
    return checked(await retrying('scoring sentiment', () => deps.scorer.score(texts), deps, signal), texts.length, deps.scorer.name);
  } catch (error) {
    if (error instanceof GenerationCancelledError) throw error;
    if (!deps.fallbackScorer) throw new SentimentFailedError(`the ${deps.scorer.name} scorer failed: ${describeError(error).message}`, { cause: error });
    deps.logger.warn({ scorer: deps.scorer.name, fallback: deps.fallbackScorer.name, error: describeError(error) }, 'sentiment scoring failed; using the fallback scorer');
    try {
      return checked(await deps.fallbackScorer.score(texts), texts.length, deps.fallbackScorer.name);
    } catch (fallbackError) {
      throw new SentimentFailedError(
        `the ${deps.scorer.name} scorer failed (${describeError(error).message}) and so did the ${deps.fallbackScorer.name} scorer (${describeError(fallbackError).message})`,
        { cause: fallbackError },
      );
    }
  }
}

function checked(results: SentimentResult[], count: number, scorer: string): SentimentResult[] {
  if (results.length !== count) throw new Error(`the ${scorer} scorer returned ${results.length} results for ${count} texts`);
  return results.map((result) => resultSchema.parse(result));
}
