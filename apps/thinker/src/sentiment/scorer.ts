/** What every sentiment scorer (the offline model, an LLM) answers for one text. */
export const sentimentLabels = ['negative', 'neutral', 'positive'] as const;
export type SentimentLabel = (typeof sentimentLabels)[number];

export interface SentimentResult {
  label: SentimentLabel;
  /** Polarity from −1 (surely negative) to 1 (surely positive); 0 is neutral or undecided. */
  score: number;
  /** How sure the scorer is of `label`, from 0 to 1. */
  confidence: number;
  /** Which scorer and model answered, e.g. `offline-linear@3`, so stored scores can be traced. */
  model: string;
}

export interface SentimentScorer {
  readonly name: string;
  /** One result per text, in the same order. */
  score(texts: readonly string[]): Promise<SentimentResult[]>;
}
