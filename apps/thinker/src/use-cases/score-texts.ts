import { thinkerError } from '../domain/errors.js';
import type { SentimentResult } from '../sentiment/sentiment-scorer.js';
import type { ThinkerDeps } from './deps.js';
import { scoreDrafts, SentimentFailedError } from './score-drafts.js';

/** Scores texts with the configured scorer (its fallback behind it), in order; a scorer outage is SENTIMENT_UNAVAILABLE. */
export async function scoreTexts(deps: Pick<ThinkerDeps, 'sentiment' | 'logger'>, texts: readonly string[]): Promise<SentimentResult[]> {
  try {
    return await scoreDrafts(texts, { ...deps.sentiment, logger: deps.logger });
  } catch (error) {
    if (error instanceof SentimentFailedError) throw thinkerError('SENTIMENT_UNAVAILABLE', { cause: error });
    throw error;
  }
}
