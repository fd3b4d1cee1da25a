import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { computeFeatureHash } from '../../src/sentiment/feature-hash.js';
import { featuriserVersion, type FeaturiserConfig } from '../../src/sentiment/featuriser-config.js';
import { encodeModelFile, type ModelHeader } from '../../src/sentiment/model-file.js';
import { defaultModelPath, loadOfflineScorer, SentimentModelError } from '../../src/sentiment/index.js';

const directory = mkdtempSync(join(tmpdir(), 'sentiment-model-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

const config: FeaturiserConfig = {
  hashBits: 6,
  hashSeed: 3,
  wordNgramMax: 2,
  charNgramMin: 2,
  charNgramMax: 4,
  negationScope: true,
  lexiconFeatures: false,
  emojiNames: false,
};

function header(overrides: Partial<ModelHeader> = {}): Omit<ModelHeader, 'weightsSha256' | 'weightCount' | 'formatVersion'> {
  return {
    featuriserVersion,
    featuriser: config,
    featureHash: computeFeatureHash(config),
    classes: ['negative', 'neutral', 'positive'],
    encoding: 'int8',
    scale: 0.01,
    bias: [0, 0.1, 0],
    training: {},
    ...overrides,
  };
}

const weights = () => Int8Array.from({ length: 2 ** config.hashBits * 3 }, (_, i) => ((i * 37) % 255) - 127);

function write(name: string, bytes: Uint8Array): string {
  const path = join(directory, name);
  writeFileSync(path, bytes);
  return path;
}

function loadError(path: string): SentimentModelError {
  try {
    loadOfflineScorer(path);
  } catch (error) {
    expect(error).toBeInstanceOf(SentimentModelError);
    return error as SentimentModelError;
  }
  throw new Error(`${path} loaded, but should have been refused`);
}

describe('loading sentiment weights', () => {
  it('when the file is well formed, then it loads and scores', async () => {
    const scorer = loadOfflineScorer(write('good.bin', encodeModelFile(header(), weights())));
    const [result] = await scorer.score(['a few words']);
    expect(result?.model).toMatch(/^offline-linear@[0-9a-f]{12}$/);
  });

  it('when the committed model is loaded, then it passes every check', () => {
    expect(loadOfflineScorer(defaultModelPath).header.featuriserVersion).toBe(featuriserVersion);
  });

  it('when the format version differs, then loading names both versions', () => {
    const bytes = Buffer.from(encodeModelFile(header(), weights()));
    const text = bytes.toString('latin1').replace('"formatVersion":1', '"formatVersion":9');
    const error = loadError(write('version.bin', Buffer.from(text, 'latin1')));
    expect(error.message).toContain('format version 9, this code reads version 1');
  });

  it('when the model was trained with another featuriser version, then loading asks for retraining', () => {
    const error = loadError(write('featuriser.bin', encodeModelFile(header({ featuriserVersion: featuriserVersion + 1 }), weights())));
    expect(error.message).toMatch(/featuriser version \d+, this code is version \d+; retrain/);
  });

  it('when the feature hash does not match what this code computes, then loading refuses the weights', () => {
    const error = loadError(write('hash.bin', encodeModelFile(header({ featureHash: '0123456789abcdef' }), weights())));
    expect(error.message).toContain('feature hash 0123456789abcdef does not match');
  });

  it('when the weights are cut short, then loading says the file is truncated', () => {
    const bytes = encodeModelFile(header(), weights());
    const error = loadError(write('truncated.bin', bytes.subarray(0, bytes.length - 10)));
    expect(error.message).toMatch(/truncated: \d+ weight bytes, expected 192/);
  });

  it('when the header itself is cut short, then loading says the file is truncated', () => {
    const error = loadError(write('header-cut.bin', encodeModelFile(header(), weights()).subarray(0, 40)));
    expect(error.message).toContain('truncated: header');
  });

  it('when a weight byte is changed, then the checksum catches it', () => {
    const bytes = Buffer.from(encodeModelFile(header(), weights()));
    bytes[bytes.length - 1] = (bytes[bytes.length - 1] as number) ^ 0xff;
    expect(loadError(write('flipped.bin', bytes)).message).toContain('do not match their checksum');
  });

  it('when the file is not a model, then loading says so', () => {
    expect(loadError(write('text.bin', Buffer.from('just some text, not weights'))).message).toContain('bad magic bytes');
  });

  it('when the file does not exist, then loading names it', () => {
    expect(loadError(join(directory, 'missing.bin')).message).toMatch(/missing\.bin: cannot be read/);
  });

  it('when the header breaks its schema, then loading explains which field', () => {
    const error = loadError(write('schema.bin', encodeModelFile(header({ scale: -1 }), weights())));
    expect(error.message).toContain('scale');
  });

  it('when the committed file is read, then its size stays under 5 MB', () => {
    expect(readFileSync(defaultModelPath).length).toBeLessThan(5 * 1024 * 1024);
  });
});
