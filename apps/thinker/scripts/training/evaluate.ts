import { sentimentLabels, type SentimentResult } from '../../src/sentiment/sentiment-scorer.js';
import type { LabelledText, RatedText } from './dataset.js';
import { classificationScores, spearman, type ClassificationScores } from './metrics.js';

export type ScoreTexts = (texts: readonly string[]) => Promise<SentimentResult[]> | SentimentResult[];

export async function evaluateLabelled(score: ScoreTexts, data: readonly LabelledText[]): Promise<ClassificationScores> {
  const results = await score(data.map((row) => row.text));
  return classificationScores(
    data.map((row) => row.label),
    results.map((result) => sentimentLabels.indexOf(result.label)),
  );
}

/**
 * Tweets whose mean human rating lies within ±0.5 (on −4…4) count as neutral: the file's own
 * labels are the rating's sign, which leaves 4 neutral tweets of 4,200. The rank correlation of
 * score with rating needs no such line.
 */
export const vaderNeutralBand = 0.5;

export async function evaluateRated(score: ScoreTexts, data: readonly RatedText[]): Promise<ClassificationScores & { spearman: number }> {
  const results = await score(data.map((row) => row.text));
  const truth = data.map((row) => (row.meanRating <= -vaderNeutralBand ? 0 : row.meanRating >= vaderNeutralBand ? 2 : 1));
  return {
    ...classificationScores(truth, results.map((result) => sentimentLabels.indexOf(result.label))),
    spearman: spearman(results.map((result) => result.score), data.map((row) => row.meanRating)),
  };
}

export function formatScores(name: string, scores: ClassificationScores & { spearman?: number }): string {
  const f = (value: number) => value.toFixed(3);
  const recall = scores.recall.map(f).join('/');
  const rank = scores.spearman === undefined ? '' : `  spearman ${f(scores.spearman)}`;
  return `${name.padEnd(34)} macro-recall ${f(scores.macroRecall)}  accuracy ${f(scores.accuracy)}  macro-F1 ${f(scores.macroF1)}  recall neg/neu/pos ${recall}${rank}`;
}
