import { describe, expect, it } from 'vitest';
import { Featuriser } from '../../src/sentiment/featuriser.js';
import type { FeaturiserConfig } from '../../src/sentiment/featuriser-config.js';
import { trainEnsemble } from '../../scripts/training/ensemble.js';
import { trainSoftmaxRegression, type RegressionOptions } from '../../scripts/training/logistic-regression.js';
import { featuriseAll } from '../../scripts/training/sparse-rows.js';

const config: FeaturiserConfig = {
  hashBits: 10,
  hashSeed: 5,
  wordNgramMax: 2,
  charNgramMin: 3,
  charNgramMax: 4,
  negationScope: true,
  lexiconFeatures: true,
  emojiNames: false,
  lexiconSummary: true,
};
const lexicon = { good: 1.9, great: 3.1, bad: -2.5, awful: -3.1 };
const texts = ['a good day', 'great fun, good', 'bad news', 'awful and bad', 'the bus at nine', 'not good at all', 'meeting on monday', 'great'];
const labels = [2, 2, 0, 0, 1, 0, 1, 2];
const options: RegressionOptions = {
  l2: 1e-3,
  classWeighting: 'balanced',
  learningRate: 0.1,
  initialAccumulator: 0.1,
  epochs: 3,
  averaged: false,
  naiveBayesScaling: false,
  seed: 11,
};

function logits(model: { weights: Float64Array; bias: Float64Array }, matrix: ReturnType<typeof featuriseAll>, row: number): number[] {
  const z = Array.from(model.bias);
  for (let i = matrix.rowStart[row] as number; i < (matrix.rowStart[row + 1] as number); i++) {
    for (let k = 0; k < 3; k++) z[k] = (z[k] as number) + (model.weights[(matrix.columns[i] as number) * 3 + k] as number) * (matrix.values[i] as number);
  }
  return z;
}

describe('an ensemble of regressions', () => {
  const matrix = featuriseAll(texts, new Featuriser(config, { lexicon }), config.hashBits);
  const members = [options, { ...options, naiveBayesScaling: true }];

  it('when its members are folded into one table, then each text scores the mean of the members’ logits', () => {
    const ensemble = trainEnsemble(matrix, labels, members);
    const fits = members.map((member) => trainSoftmaxRegression(matrix, labels, member));
    texts.forEach((_, row) => {
      const mean = [0, 1, 2].map((k) => fits.reduce((sum, fit) => sum + (logits(fit, matrix, row)[k] as number), 0) / fits.length);
      logits(ensemble, matrix, row).forEach((value, k) => expect(value).toBeCloseTo(mean[k] as number, 10));
    });
  });

  it('when it has no member, then it refuses', () => {
    expect(() => trainEnsemble(matrix, labels, [])).toThrow('at least one member');
  });
});

describe('the lexicon summary features', () => {
  const withSummary = new Featuriser(config, { lexicon });
  const without = new Featuriser({ ...config, lexiconSummary: false }, { lexicon });
  const wordBuckets = (featuriser: Featuriser, text: string) => {
    const { buckets, wordCount } = featuriser.featurise(text);
    return Array.from(buckets.subarray(0, wordCount));
  };

  it('when a text is featurised with them, then six whole-text features follow the words, and the character n-grams are unchanged', () => {
    const text = 'a great day, not bad';
    expect(wordBuckets(withSummary, text)).toHaveLength(wordBuckets(without, text).length + 6);
    expect(withSummary.featurise(text).charCount).toBe(without.featurise(text).charCount);
  });

  it('when the rated words differ in polarity, then the summaries differ too', () => {
    const summary = (text: string) => wordBuckets(withSummary, text).slice(-6);
    expect(summary('it was great')).not.toEqual(summary('it was awful'));
    // Negation turns the sum and the last rating against the word.
    expect(summary('it was good')).not.toEqual(summary('it was not good'));
  });
});
