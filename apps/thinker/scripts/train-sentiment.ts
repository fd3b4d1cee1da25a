/**
 * Trains the offline sentiment model from the labelled tweets and writes its weights.
 *   npm run train:sentiment -w @trendcast/thinker [-- --seed N --out model/sentiment.bin --limit N]
 * Prints its progress, then the model's scores on the validation split and the VADER-rated
 * tweets (neither is used for training or for any setting).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { computeFeatureHash } from '../src/sentiment/feature-hash.js';
import { Featuriser } from '../src/sentiment/featuriser.js';
import { featuriserVersion, featuriserConfigSchema } from '../src/sentiment/featuriser-config.js';
import { encodeModelFile } from '../src/sentiment/model-file.js';
import { defaultModelPath, loadOfflineScorer } from '../src/sentiment/offline-scorer.js';
import { sentimentLabels } from '../src/sentiment/sentiment-scorer.js';
import { userPath } from '../src/sentiment/user-path.js';
import { loadTrainingSet, loadTweetEvalSplit, loadVaderGroundTruth } from './training/dataset.js';
import { evaluateLabelled, evaluateRated, formatScores } from './training/evaluate.js';
import { trainEnsemble } from './training/ensemble.js';
import { balancedClassWeights } from './training/logistic-regression.js';
import { defaultDataDirectory, trainingFile, vaderGroundTruthFile, validationDirectory } from './training/paths.js';
import { quantise } from './training/quantise.js';
import { defaultSeed, ensembleMembers, featuriserSettings, memberOptions, regressionSettings, weightEncoding } from './training/settings.js';
import { featuriseAll } from './training/sparse-rows.js';
import { loadResources } from './training/resources.js';

const usage = `usage: train-sentiment [--seed N] [--out FILE] [--data DIR] [--limit N] [--hash-bits N] [--no-evaluate]
  --seed N       order in which examples are visited (default ${defaultSeed})
  --out FILE     where to write the weights (default ${defaultModelPath})
  --data DIR     the labelled data (default ${defaultDataDirectory})
  --limit N      train on the first N training examples only
  --hash-bits N  size of the feature table, 2^N buckets (default ${featuriserSettings.hashBits})
  --no-evaluate  skip the validation and VADER-set scores`;

function parseFlags() {
  try {
    const { values } = parseArgs({
      strict: true,
      options: {
        seed: { type: 'string', default: String(defaultSeed) },
        out: { type: 'string', default: defaultModelPath },
        data: { type: 'string', default: defaultDataDirectory },
        limit: { type: 'string' },
        'hash-bits': { type: 'string', default: String(featuriserSettings.hashBits) },
        'no-evaluate': { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
    });
    const integer = (name: string, value: string | undefined) => {
      if (value === undefined) return undefined;
      if (!/^\d+$/.test(value)) throw new Error(`--${name} must be a non-negative integer, got "${value}"`);
      return Number(value);
    };
    return {
      help: values.help,
      seed: integer('seed', values.seed) as number,
      out: userPath(values.out),
      data: userPath(values.data),
      limit: integer('limit', values.limit),
      hashBits: integer('hash-bits', values['hash-bits']) as number,
      evaluate: !values['no-evaluate'],
    };
  } catch (error) {
    console.error(`train-sentiment: ${(error as Error).message}\n${usage}`);
    process.exit(2);
  }
}

const flags = parseFlags();
if (flags.help) {
  console.log(usage);
  process.exit(0);
}
const started = performance.now();
const seconds = () => ((performance.now() - started) / 1000).toFixed(1);

const allExamples = loadTrainingSet(join(flags.data, trainingFile));
const examples = flags.limit === undefined ? allExamples : allExamples.slice(0, flags.limit);
const labels = examples.map((example) => example.label);
const counts = sentimentLabels.map((label, k) => `${label} ${labels.filter((l) => l === k).length}`).join(', ');
console.log(`training examples: ${examples.length} (${counts}) from ${join(flags.data, trainingFile)}`);
console.log(`class weights (from the training mix): ${balancedClassWeights(labels).map((w) => w.toFixed(3)).join(' / ')}`);

const featuriserConfig = featuriserConfigSchema.parse({ ...featuriserSettings, hashBits: flags.hashBits });
const resources = loadResources(featuriserConfig);
const { lexicon, emojiNames } = resources;
if (lexicon) console.log(`lexicon: ${Object.keys(lexicon).length} entries from VADER`);
if (emojiNames) console.log(`emoji names: ${Object.keys(emojiNames).length} from Unicode`);
const featuriser = new Featuriser(featuriserConfig, resources);
const matrix = featuriseAll(
  examples.map((example) => example.text),
  featuriser,
  featuriserConfig.hashBits,
);
console.log(`[${seconds()} s] featurised: ${matrix.columns.length} features, ${matrix.columnCount} distinct buckets of ${2 ** featuriserConfig.hashBits}`);

const members = memberOptions(regressionSettings, ensembleMembers, flags.seed);
const trained = trainEnsemble(
  matrix,
  labels,
  members.map((options, member) => ({
    ...options,
    onEpoch: (epoch, loss) =>
      console.log(`[${seconds()} s] fit ${member + 1}/${members.length}${options.naiveBayesScaling ? ' (NB-scaled)' : ''}, epoch ${epoch}/${options.epochs}: mean weighted loss ${loss.toFixed(4)}`),
  })),
);

// Spread the weights of the buckets seen in training over the whole table.
const table = new Float64Array(2 ** featuriserConfig.hashBits * 3);
matrix.bucketOfColumn.forEach((bucket, column) => {
  for (let k = 0; k < 3; k++) table[bucket * 3 + k] = trained.weights[column * 3 + k] as number;
});
const { weights, scale } = quantise(table, weightEncoding);
const file = encodeModelFile(
  {
    featuriserVersion,
    featuriser: featuriserConfig,
    featureHash: computeFeatureHash(featuriserConfig, resources),
    ...(lexicon ? { lexicon } : {}),
    ...(emojiNames ? { emojiNames } : {}),
    classes: [...sentimentLabels],
    encoding: weightEncoding,
    scale,
    bias: [trained.bias[0] as number, trained.bias[1] as number, trained.bias[2] as number],
    training: {
      data: trainingFile,
      examples: examples.length,
      seed: flags.seed,
      classWeighting: regressionSettings.classWeighting,
      l2: regressionSettings.l2,
      epochs: regressionSettings.epochs,
      learningRate: regressionSettings.learningRate,
      // The weights are the mean of these fits (each the settings above with these changes).
      ensemble: ensembleMembers,
    },
  },
  weights,
);
mkdirSync(dirname(flags.out), { recursive: true });
writeFileSync(flags.out, file);
const scorer = loadOfflineScorer(flags.out);
console.log(`[${seconds()} s] wrote ${flags.out}: ${(file.length / 1024 / 1024).toFixed(2)} MB, model ${scorer.model}`);

if (flags.evaluate) {
  const validation = loadTweetEvalSplit(join(flags.data, validationDirectory), 'val');
  const rated = loadVaderGroundTruth(join(flags.data, vaderGroundTruthFile));
  const score = (texts: readonly string[]) => texts.map((text) => scorer.scoreText(text));
  console.log(formatScores(`validation (${validation.length} tweets)`, await evaluateLabelled(score, validation)));
  console.log(formatScores(`VADER-rated tweets (${rated.length})`, await evaluateRated(score, rated)));
}
