import { thinkerError } from './errors.js';

export interface ScoredText {
  sentimentLabel: 'negative' | 'neutral' | 'positive';
  sentimentScore: number;
}

/**
 * A draft scored negative at or below −threshold is approved only with `override: true`: a person
 * must say they mean to publish something that reads that way.
 */
export function assertApprovable(draft: ScoredText, o: { threshold: number; override: boolean }): void {
  if (o.override) return;
  if (draft.sentimentLabel === 'negative' && draft.sentimentScore <= -o.threshold) {
    throw thinkerError('NEGATIVE_SENTIMENT', {
      details: { sentiment: { label: draft.sentimentLabel, score: draft.sentimentScore }, threshold: -o.threshold },
    });
  }
}

