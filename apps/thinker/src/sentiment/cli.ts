/**
 * Scores texts from stdin, one per line, with the offline model: one label per line, or with
 * --json one JSON object per line ({label, score, confidence, model}). Nothing else needs to run.
 *   npm run -s sentiment -w @trendcast/thinker [-- --json] < texts.txt
 */
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { defaultModelPath, loadOfflineScorer } from './offline-scorer.js';
import { userPath } from './user-path.js';

const usage = `usage: sentiment [--json] [--model FILE] < texts.txt
Reads texts on stdin, one per line, and prints one result per line, in the same order:
  (default)     the label: negative, neutral or positive (an empty line is neutral)
  --json        {"label","score" (-1..1),"confidence" (0..1),"model"} per line
  --model FILE  weights to use (default ${defaultModelPath})
  --help        this text`;

function fail(message: string, code: number): never {
  process.stderr.write(`sentiment: ${message}\n`);
  process.exit(code);
}

let flags: { json: boolean; model: string; help: boolean };
try {
  const { values } = parseArgs({
    strict: true,
    allowPositionals: false,
    options: {
      json: { type: 'boolean', default: false },
      model: { type: 'string', default: defaultModelPath },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  flags = values;
} catch (error) {
  fail(`${(error as Error).message}\n${usage}`, 2);
}
if (flags.help) {
  process.stdout.write(`${usage}\n`);
  process.exit(0);
}

let scorer: ReturnType<typeof loadOfflineScorer>;
try {
  scorer = loadOfflineScorer(userPath(flags.model));
} catch (error) {
  fail((error as Error).message, 1);
}
if (process.stdin.isTTY) process.stderr.write('sentiment: reading texts from stdin, one per line (Ctrl-D ends)\n');

const round = (value: number) => Math.round(value * 10_000) / 10_000;
const format = flags.json
  ? (text: string) => {
      const r = scorer.scoreText(text);
      return JSON.stringify({ label: r.label, score: round(r.score), confidence: round(r.confidence), model: r.model });
    }
  : (text: string) => scorer.scoreText(text).label;

// Lines are answered in batches, and reading pauses while stdout is behind.
let pending: string[] = [];
const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
const flush = () => {
  if (pending.length === 0) return;
  const chunk = `${pending.join('\n')}\n`;
  pending = [];
  if (!process.stdout.write(chunk)) {
    lines.pause();
    process.stdout.once('drain', () => lines.resume());
  }
};
lines.on('line', (line) => {
  pending.push(format(line));
  if (pending.length >= 512) flush();
});
lines.on('close', flush);
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  // A reader that went away (`| head`) is not an error of ours.
  if (error.code === 'EPIPE') process.exit(0);
  fail(error.message, 1);
});
