import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadOfflineScorer } from '../../src/sentiment/index.js';
import { runScript } from './run-script.js';

const directory = mkdtempSync(join(tmpdir(), 'sentiment-training-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

async function train(name: string, seed: string): Promise<string> {
  const out = join(directory, name);
  const { code, stdout, stderr } = await runScript('scripts/train-sentiment.ts', [
    '--limit', '400', '--hash-bits', '12', '--seed', seed, '--no-evaluate', '--out', out,
  ]);
  expect(stderr).toBe('');
  expect(code).toBe(0);
  expect(stdout).toContain('training examples: 400');
  return out;
}

describe('training the sentiment model', () => {
  it('when trained twice on the same slice with the same seed, then the weights are byte-identical, and another seed changes them', async () => {
    const first = await train('first.bin', '7');
    const second = await train('second.bin', '7');
    const reseeded = await train('reseeded.bin', '8');
    expect(sha256(second)).toBe(sha256(first));
    expect(sha256(reseeded)).not.toBe(sha256(first));
    // What training writes, loading accepts.
    expect(loadOfflineScorer(first).header.training).toMatchObject({ examples: 400, seed: 7 });
  });

  it('when a flag is malformed, then training stops before doing anything', async () => {
    const { code, stderr } = await runScript('scripts/train-sentiment.ts', ['--limit', 'many']);
    expect(code).toBe(2);
    expect(stderr).toContain('--limit must be a non-negative integer');
  });
});
