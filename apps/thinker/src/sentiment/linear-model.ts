import type { Features } from './featuriser.js';

export const classCount = 3;

/**
 * Each group of features (words, character n-grams) is scaled to unit length, so a long tweet
 * does not shout louder than a short one and the many character n-grams do not drown the words.
 */
export function groupScale(count: number): number {
  return count > 0 ? 1 / Math.sqrt(count) : 0;
}

/**
 * A multinomial logistic regression over hashed features: 3 quantised weights per bucket
 * (real weight = stored integer × scale), and 3 biases. Integers keep the table small enough to
 * stay in the processor's cache, which is most of the scoring speed.
 */
export interface LinearModelWeights {
  /** weights[bucket * 3 + class] */
  weights: Int8Array | Int16Array;
  scale: number;
  bias: Float64Array;
}

/** Writes the 3 class probabilities of `features` into `out`. */
export function predictProbabilities(model: LinearModelWeights, features: Features, out: Float64Array): void {
  const { weights, bias, scale } = model;
  const { buckets, wordCount, charCount } = features;
  let wordNeg = 0;
  let wordNeu = 0;
  let wordPos = 0;
  for (let i = 0; i < wordCount; i++) {
    const at = (buckets[i] as number) * 3;
    wordNeg += weights[at] as number;
    wordNeu += weights[at + 1] as number;
    wordPos += weights[at + 2] as number;
  }
  let charNeg = 0;
  let charNeu = 0;
  let charPos = 0;
  const end = wordCount + charCount;
  for (let i = wordCount; i < end; i++) {
    const at = (buckets[i] as number) * 3;
    charNeg += weights[at] as number;
    charNeu += weights[at + 1] as number;
    charPos += weights[at + 2] as number;
  }
  const ws = groupScale(wordCount) * scale;
  const cs = groupScale(charCount) * scale;
  const neg = (bias[0] as number) + wordNeg * ws + charNeg * cs;
  const neu = (bias[1] as number) + wordNeu * ws + charNeu * cs;
  const pos = (bias[2] as number) + wordPos * ws + charPos * cs;
  const top = Math.max(neg, neu, pos);
  const eNeg = Math.exp(neg - top);
  const eNeu = Math.exp(neu - top);
  const ePos = Math.exp(pos - top);
  const total = eNeg + eNeu + ePos;
  out[0] = eNeg / total;
  out[1] = eNeu / total;
  out[2] = ePos / total;
}
