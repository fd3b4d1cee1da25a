/**
 * Compares model settings by k-fold cross-validation on the training data, the way the
 * committed settings were chosen; with --validation it also trains each candidate on all the
 * training data and scores it on the validation split (to compare a few families, never to tune).
 *   npm run compare:sentiment -w @trendcast/thinker -- [--folds 5] [--only name,name] [--validation]
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Featuriser } from '../src/sentiment/featuriser.js';
import { featuriserConfigSchema, type FeaturiserConfig } from '../src/sentiment/featuriser-config.js';
import { candidates } from './training/candidates.js';
import { crossValidate } from './training/cross-validate.js';
import { loadTrainingSet, loadTweetEvalSplit } from './training/dataset.js';
import { trainEnsemble } from './training/ensemble.js';
import { argmaxRows, predictRows } from './training/logistic-regression.js';
import { classificationScores } from './training/metrics.js';
import { defaultDataDirectory, trainingFile, validationDirectory } from './training/paths.js';
import { defaultSeed, memberOptions } from './training/settings.js';
import { featuriseAll, selectRows } from './training/sparse-rows.js';
import { loadResources } from './training/resources.js';

const { values } = parseArgs({
  options: {
    folds: { type: 'string', default: '5' },
    only: { type: 'string' },
    validation: { type: 'boolean', default: false },
    data: { type: 'string', default: defaultDataDirectory },
  },
});
const folds = Number(values.folds);
const chosen = values.only === undefined ? candidates : candidates.filter((c) => values.only?.split(',').includes(c.name));
if (chosen.length === 0) throw new Error(`no candidate named ${values.only}; known: ${candidates.map((c) => c.name).join(', ')}`);

const training = loadTrainingSet(join(values.data, trainingFile));
const validation = values.validation ? loadTweetEvalSplit(join(values.data, validationDirectory), 'val') : [];
const labels = training.map((row) => row.label);
const f3 = (value: number) => value.toFixed(4);
console.log(`${folds}-fold cross-validation on ${training.length} training tweets${values.validation ? `, then validation (${validation.length})` : ''}`);

const matrices = new Map<string, ReturnType<typeof featuriseAll>>();
const featurised = (config: FeaturiserConfig) => {
  const key = JSON.stringify(config);
  let matrix = matrices.get(key);
  if (matrix === undefined) {
    matrices.clear();
    const featuriser = new Featuriser(config, loadResources(config));
    matrix = featuriseAll([...training, ...validation].map((row) => row.text), featuriser, config.hashBits);
    matrices.set(key, matrix);
  }
  return matrix;
};

for (const candidate of chosen) {
  const started = performance.now();
  const config = featuriserConfigSchema.parse(candidate.featuriser);
  const matrix = featurised(config);
  const trainingRows = selectRows(matrix, training.map((_, i) => i));
  const options = memberOptions(candidate.regression, candidate.members, defaultSeed);
  const cv = crossValidate(trainingRows, labels, options, folds, defaultSeed);
  let line = `${candidate.name.padEnd(28)} CV macro-recall ${f3(cv.mean.macroRecall)}  accuracy ${f3(cv.mean.accuracy)}  macro-F1 ${f3(cv.mean.macroF1)}`;
  if (values.validation) {
    const model = trainEnsemble(trainingRows, labels, options);
    const predicted = argmaxRows(predictRows(model, selectRows(matrix, validation.map((_, i) => training.length + i))));
    const scores = classificationScores(validation.map((row) => row.label), predicted);
    line += `  | validation macro-recall ${f3(scores.macroRecall)}  accuracy ${f3(scores.accuracy)}  macro-F1 ${f3(scores.macroF1)}`;
  }
  console.log(`${line}  (${((performance.now() - started) / 1000).toFixed(0)} s)`);
}
