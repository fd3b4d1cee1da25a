import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { computeFeatureHash } from './feature-hash.js';
import { Featuriser, type FeaturiserResources } from './featuriser.js';
import { predictProbabilities, type LinearModelWeights } from './linear-model.js';
import { decodeModelFile, SentimentModelError, type ModelHeader } from './model-file.js';
import type { SentimentResult, SentimentScorer } from './sentiment-scorer.js';

/** The committed weights, trained by `npm run train:sentiment`. */
export const defaultModelPath = fileURLToPath(new URL('../../model/sentiment.bin', import.meta.url));

/** Longer texts are scored on their first this-many characters (a post is far shorter). */
export const maxScoredLength = 20_000;

/**
 * The offline scorer: a linear model over hashed word and character n-grams, in-process, with no
 * server. Scoring is synchronous underneath; `score` is async only to share the interface.
 */
export class OfflineSentimentScorer implements SentimentScorer {
  readonly name = 'offline';
  readonly model: string;
  readonly featuriser: Featuriser;
  private readonly weights: LinearModelWeights;
  private readonly probabilities = new Float64Array(3);

  constructor(
    readonly header: ModelHeader,
    weights: Int8Array | Int16Array,
    readonly resources: FeaturiserResources = resourcesOf(header),
  ) {
    this.featuriser = new Featuriser(header.featuriser, resources);
    this.weights = { weights, scale: header.scale, bias: Float64Array.from(header.bias) };
    this.model = `offline-linear@${header.weightsSha256.slice(0, 12)}`;
  }

  score(texts: readonly string[]): Promise<SentimentResult[]> {
    return Promise.resolve(texts.map((text) => this.scoreText(text)));
  }

  scoreText(text: string): SentimentResult {
    const features = this.featuriser.featurise(text.length > maxScoredLength ? text.slice(0, maxScoredLength) : text);
    if (features.wordCount === 0) {
      // Nothing was said, so nothing was felt.
      return { label: 'neutral', score: 0, confidence: 1, model: this.model };
    }
    const p = this.probabilities;
    predictProbabilities(this.weights, features, p);
    const negative = p[0] as number;
    const neutral = p[1] as number;
    const positive = p[2] as number;
    const label = negative >= neutral && negative >= positive ? 'negative' : neutral >= positive ? 'neutral' : 'positive';
    return { label, score: positive - negative, confidence: Math.max(negative, neutral, positive), model: this.model };
  }
}

function resourcesOf(header: ModelHeader): FeaturiserResources {
  return {
    ...(header.lexicon === undefined ? {} : { lexicon: header.lexicon }),
    ...(header.emojiNames === undefined ? {} : { emojiNames: header.emojiNames }),
  };
}

/** Reads and checks a weights file: format and featuriser versions, checksum, and that today's featuriser hashes texts as the one it was trained with. */
export function loadOfflineScorer(path: string = defaultModelPath): OfflineSentimentScorer {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    throw new SentimentModelError(`sentiment model ${path}: cannot be read (${(error as Error).message})`);
  }
  const { header, weights } = decodeModelFile(bytes, path);
  const scorer = new OfflineSentimentScorer(header, weights);
  const featureHash = computeFeatureHash(header.featuriser, scorer.resources, scorer.featuriser);
  if (featureHash !== header.featureHash) {
    throw new SentimentModelError(
      `sentiment model ${path}: feature hash ${header.featureHash} does not match this code's ${featureHash} (the featuriser changed since training); retrain with npm run train:sentiment -w @trendcast/thinker`,
    );
  }
  return scorer;
}
