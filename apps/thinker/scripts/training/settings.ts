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

export const weightEncoding: 'int8' | 'int16' = 'int8';
export const defaultSeed = 20_130_613;
