import type { FeaturiserConfig } from '../../src/sentiment/featuriser-config.js';
import type { RegressionOptions } from './logistic-regression.js';
import { featuriserSettings, regressionSettings } from './settings.js';

export interface Candidate {
  name: string;
  featuriser: FeaturiserConfig;
  regression: Omit<RegressionOptions, 'seed' | 'onEpoch'>;
}

const base = { featuriser: featuriserSettings, regression: regressionSettings };
const withFeatures = (name: string, changes: Partial<FeaturiserConfig>): Candidate => ({ ...base, name, featuriser: { ...featuriserSettings, ...changes } });
const withRegression = (name: string, changes: Partial<Candidate['regression']>): Candidate => ({ ...base, name, regression: { ...regressionSettings, ...changes } });

/** The families and settings compared; `committed` is what `train:sentiment` uses. */
export const candidates: Candidate[] = [
  { ...base, name: 'committed' },
  withFeatures('words only', { charNgramMax: 0, lexiconFeatures: false }),
  withFeatures('words + chars', { lexiconFeatures: false }),
  withFeatures('no negation scope', { negationScope: false }),
  withFeatures('chars 2-5', { charNgramMin: 2 }),
  withFeatures('2^20 buckets', { hashBits: 20 }),
  withFeatures('2^18 buckets', { hashBits: 18 }),
  withRegression('3 epochs', { epochs: 3 }),
  withRegression('10 epochs', { epochs: 10 }),
  withRegression('10 epochs averaged', { epochs: 10, averaged: true }),
  withRegression('l2 3e-3', { l2: 3e-3 }),
  withRegression('unweighted classes', { classWeighting: 'none' }),
  withRegression('NB-scaled', { naiveBayesScaling: true }),
  withRegression('NB-scaled l2 1e-2', { naiveBayesScaling: true, l2: 1e-2 }),
  withRegression('NB-scaled lr 0.03', { naiveBayesScaling: true, learningRate: 0.03 }),
];
