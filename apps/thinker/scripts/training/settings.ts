import type { FeaturiserConfig } from '../../src/sentiment/featuriser-config.js';
import type { RegressionOptions } from './logistic-regression.js';

/**
 * The settings the committed model is trained with. Chosen by 5-fold cross-validation on the
 * training data (`npm run compare:sentiment -w @trendcast/thinker`); see the README for the figures.
 */
export const featuriserSettings: FeaturiserConfig = {
  hashBits: 19,
  hashSeed: 1,
  wordNgramMax: 2,
  charNgramMin: 3,
  charNgramMax: 5,
  negationScope: true,
  lexiconFeatures: true,
  emojiNames: true,
  lexiconSummary: true,
};

export const regressionSettings: Omit<RegressionOptions, 'seed' | 'onEpoch'> = {
  l2: 1e-3,
  classWeighting: 'balanced',
  learningRate: 0.1,
  initialAccumulator: 0.1,
  epochs: 5,
  averaged: false,
  naiveBayesScaling: false,
};

export type MemberChanges = Partial<Omit<RegressionOptions, 'onEpoch'>>;

/**
 * The committed model is the mean of these fits, each `regressionSettings` with the changes
 * given: plain features and Naive Bayes-scaled ones (see ensemble.ts; one table either way).
 */
export const ensembleMembers: readonly MemberChanges[] = [{}, { naiveBayesScaling: true }];

/** Each member's full options; a member's `seed` is added to the seed given. */
export function memberOptions(base: Omit<RegressionOptions, 'seed' | 'onEpoch'>, members: readonly MemberChanges[], seed: number): RegressionOptions[] {
  // A member may shift the seed (to average fits that visit the examples in other orders).
  return members.map((changes) => ({ ...base, ...changes, seed: seed + (changes.seed ?? 0) }));
}

export const weightEncoding: 'int8' | 'int16' = 'int16';
export const defaultSeed = 20_130_613;
