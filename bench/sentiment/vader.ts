import vader from 'vader-sentiment';
import type { SentimentResult } from '../../apps/thinker/src/sentiment/sentiment-scorer.js';

/** VADER as TweetEval's paper scores it: compound ≥ 0.05 positive, ≤ −0.05 negative, else neutral. */
export function vaderScore(text: string): SentimentResult {
  const { compound } = vader.SentimentIntensityAnalyzer.polarity_scores(text);
  const label = compound >= 0.05 ? 'positive' : compound <= -0.05 ? 'negative' : 'neutral';
  return { label, score: compound, confidence: Math.abs(compound), model: 'vader-sentiment' };
}
