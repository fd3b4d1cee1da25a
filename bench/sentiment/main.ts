/**
 * Sentiment bench: the offline scorer beside VADER (compound ±0.05) in one run, on TweetEval's
 * validation split and on the VADER-rated tweets, then speed on one thread (one core), model
 * load time, weights size and the command's start-up.
 *   npm run bench:sentiment [-- --seconds 3 --startups 5]
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { defaultModelPath, loadOfflineScorer } from '../../apps/thinker/src/sentiment/offline-scorer.js';
import { loadTweetEvalSplit, loadVaderGroundTruth } from '../../apps/thinker/scripts/training/dataset.js';
import { evaluateLabelled, evaluateRated, formatScores } from '../../apps/thinker/scripts/training/evaluate.js';
import { defaultDataDirectory, vaderGroundTruthFile, validationDirectory } from '../../apps/thinker/scripts/training/paths.js';
import { commandMs, median, throughput, timeMs } from './timing.js';
import { vaderScore } from './vader.js';

const usage = `usage: npm run bench:sentiment -- [--seconds N] [--startups N] [--model FILE]
  --seconds N   how long each speed phase loops over the validation texts (default 3)
  --startups N  runs of the command line to time its start-up (default 5; 0 skips)
  --model FILE  weights to bench (default the committed ones)`;

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '3' },
    startups: { type: 'string', default: '5' },
    model: { type: 'string', default: defaultModelPath },
    help: { type: 'boolean', default: false },
  },
});
if (values.help) {
  console.log(usage);
  process.exit(0);
}
const seconds = z.coerce.number().positive().parse(values.seconds);
const startups = z.coerce.number().int().min(0).parse(values.startups);
const modelPath = values.model;
const thinkerDirectory = fileURLToPath(new URL('../../apps/thinker', import.meta.url));

console.log(`sentiment bench: node ${process.version}, ${os.cpus().length} cpus (${os.cpus()[0]?.model ?? '?'}), load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}; one thread`);

const firstLoadMs = timeMs(() => loadOfflineScorer(modelPath));
const loadMs = median(Array.from({ length: 5 }, () => timeMs(() => loadOfflineScorer(modelPath))));
const scorer = loadOfflineScorer(modelPath);
const offline = (texts: readonly string[]) => texts.map((text) => scorer.scoreText(text));
const vader = (texts: readonly string[]) => texts.map(vaderScore);

const validation = loadTweetEvalSplit(join(defaultDataDirectory, validationDirectory), 'val');
const rated = loadVaderGroundTruth(join(defaultDataDirectory, vaderGroundTruthFile));

console.log(`\nTweetEval validation split (${validation.length} tweets; targets: offline macro-recall ≥ 0.72)`);
const offlineValidation = await evaluateLabelled(offline, validation);
console.log(formatScores(`  offline ${scorer.model}`, offlineValidation));
console.log(formatScores('  VADER (compound ±0.05)', await evaluateLabelled(vader, validation)));

console.log(`\nVADER-rated tweets (${rated.length}; neutral = mean rating within ±0.5; VADER was built with these in view)`);
console.log(formatScores('  offline', await evaluateRated(offline, rated)));
console.log(formatScores('  VADER (compound ±0.05)', await evaluateRated(vader, rated)));

const texts = validation.map((row) => row.text);
const offlineRate = throughput((text) => scorer.scoreText(text), texts, seconds);
const vaderRate = throughput(vaderScore, texts, seconds);
const weightsBytes = statSync(modelPath).size;

const check = (ok: boolean) => (ok ? 'met' : 'NOT MET');
const rate = (value: number) => Math.round(value).toLocaleString('en').padStart(8);
console.log(`\nspeed and size (one thread; texts/s of its own CPU time, and of elapsed time at load average ${os.loadavg()[0]?.toFixed(2)})`);
console.log(`  offline scoring       ${rate(offlineRate.perCpuSecond)} texts/s CPU, ${rate(offlineRate.perWallSecond)} elapsed   target ≥ 50,000 on one core: ${check(offlineRate.perCpuSecond >= 50_000)}`);
console.log(`  VADER scoring         ${rate(vaderRate.perCpuSecond)} texts/s CPU, ${rate(vaderRate.perWallSecond)} elapsed`);
console.log(`  model load            ${loadMs.toFixed(1)} ms median of 5 (first ${firstLoadMs.toFixed(1)} ms)   target < 200 ms: ${check(loadMs < 200 && firstLoadMs < 200)}`);
console.log(`  weights file          ${(weightsBytes / 1024 / 1024).toFixed(2)} MB   target < 5 MB: ${check(weightsBytes < 5 * 1024 * 1024)}`);
console.log(`  macro-recall target   ${offlineValidation.macroRecall.toFixed(3)}   target ≥ 0.72: ${check(offlineValidation.macroRecall >= 0.72)}`);

if (startups > 0) {
  const tsxLoader = ['--import', 'tsx', 'src/sentiment/cli.ts', '--model', modelPath];
  const bare = median(Array.from({ length: startups }, () => commandMs(process.execPath, ['-e', 'process.stdin.resume()'], thinkerDirectory)));
  const command = median(Array.from({ length: startups }, () => commandMs(process.execPath, tsxLoader, thinkerDirectory)));
  console.log(`  command start-up      ${command.toFixed(0)} ms median of ${startups}, one line scored (bare node reading stdin: ${bare.toFixed(0)} ms)`);
}
