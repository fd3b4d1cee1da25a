import { z } from 'zod';

/** What every sentiment scorer (the offline model, an LLM) answers for one text. */
export const sentimentLabels = ['negative', 'neutral', 'positive'] as const;
export type SentimentLabel = (typeof sentimentLabels)[number];

export const sentimentResultSchema = z.strictObject({
  label: z.enum(sentimentLabels),
  /** Polarity from −1 (surely negative) to 1 (surely positive); 0 is neutral or undecided. */
  score: z.number().min(-1).max(1),
  /** How sure the scorer is of `label`, from 0 to 1. */
  confidence: z.number().min(0).max(1),
  /** Which scorer and model answered, e.g. `offline-linear@6cf30080087b`, so stored scores can be traced. */
  model: z.string().min(1),
});
export type SentimentResult = z.infer<typeof sentimentResultSchema>;

export interface SentimentScorer {
  readonly name: string;
  /** One result per text, in the same order. */
  score(texts: readonly string[]): Promise<SentimentResult[]>;
}
