import type { FeaturiserConfig } from '../../src/sentiment/featuriser-config.js';
import type { RegressionOptions } from './logistic-regression.js';
import { ensembleMembers, featuriserSettings, regressionSettings, type MemberChanges } from './settings.js';

export interface Candidate {
  name: string;
  featuriser: FeaturiserConfig;
  regression: Omit<RegressionOptions, 'seed' | 'onEpoch'>;
  /** The fits whose mean is the model, each `regression` with these changes ([{}]: one fit). */
  members: readonly MemberChanges[];
}

const base = { featuriser: featuriserSettings, regression: regressionSettings, members: ensembleMembers };
const single = [{}];
const withMembers = (name: string, members: readonly MemberChanges[], changes: Partial<FeaturiserConfig> = {}): Candidate => ({
  ...base,
  name,
  members,
  featuriser: { ...featuriserSettings, ...changes },
});
const withFeatures = (name: string, changes: Partial<FeaturiserConfig>): Candidate => ({ ...base, name, featuriser: { ...featuriserSettings, ...changes } });
const withRegression = (name: string, changes: Partial<Candidate['regression']>): Candidate => ({ ...base, name, regression: { ...regressionSettings, ...changes } });

/** The families and settings compared; `committed` is what `train:sentiment` uses. */
export const candidates: Candidate[] = [
  { ...base, name: 'committed' },
  withMembers('one fit: plain', single),
  withMembers('one fit: NB-scaled', [{ naiveBayesScaling: true }]),
  withFeatures('no lexicon summary', { lexiconSummary: false }),
  withMembers('one fit: no lexicon summary', single, { lexiconSummary: false }),
  withMembers('plain + NB: 2 seeds each', [{}, { naiveBayesScaling: true }, { seed: 1 }, { naiveBayesScaling: true, seed: 1 }]),
  withFeatures('words only', { charNgramMax: 0, lexiconFeatures: false, lexiconSummary: false }),
  withFeatures('no negation scope', { negationScope: false }),
  withFeatures('chars 2-5', { charNgramMin: 2 }),
  withFeatures('2^20 buckets', { hashBits: 20 }),
  withRegression('3 epochs', { epochs: 3 }),
  withRegression('l2 1e-4', { l2: 1e-4 }),
  withRegression('unweighted classes', { classWeighting: 'none' }),
  withRegression('balanced weights ^1.3', { classWeightPower: 1.3 }),
];
