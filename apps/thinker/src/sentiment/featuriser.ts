import { combine, finish, hashStep, hashString } from './hashing.js';
import type { FeaturiserConfig } from './featuriser-config.js';
import { normaliseTweet } from './normalise.js';

/**
 * The hashed features of one text: bucket numbers, words first (`wordCount` of them) then
 * character n-grams (`charCount`). A bucket may repeat; repeats count twice.
 * Buffers are reused by the next call of `featurise`: read them before calling again.
 */
export interface Features {
  buckets: Int32Array;
  wordCount: number;
  charCount: number;
}

const negators = [
  'not', 'no', 'never', 'cannot', 'nothing', 'nobody', 'none', 'nor', 'neither', 'nowhere', 'without',
  'dont', 'cant', 'wont', 'isnt', 'arent', 'wasnt', 'werent', 'doesnt', 'didnt', 'hasnt', 'havent',
  'hadnt', 'couldnt', 'shouldnt', 'wouldnt', 'aint', 'mustnt', 'neednt',
];
const apostrophe = 39;
const space = 32;
const hashMark = 35;
const charN = 110;
const charT = 116;

function isClauseEnd(code: number): boolean {
  // . , : ; ! ? end the reach of a negation.
  return code === 46 || code === 44 || code === 58 || code === 59 || code === 33 || code === 63;
}

export class Featuriser {
  private buckets = new Int32Array(1024);
  private readonly mask: number;
  private readonly seed: number;
  private readonly negatorHashes: Set<number>;
  private readonly negatedSalt: number;
  private readonly bigramSalt: number;
  private readonly trigramSalt: number;
  private readonly charSalt: number;
  private readonly butHash: number;

  constructor(private readonly config: FeaturiserConfig) {
    this.mask = (1 << config.hashBits) - 1;
    this.seed = config.hashSeed;
    this.negatorHashes = new Set(negators.map((word) => hashString(word, this.seed)));
    this.negatedSalt = hashString('negated', this.seed);
    this.bigramSalt = hashString('bigram', this.seed);
    this.trigramSalt = hashString('trigram', this.seed);
    this.charSalt = hashString('chars', this.seed);
    this.butHash = hashString('but', this.seed);
  }

  featurise(text: string): Features {
    return this.featuriseNormalised(normaliseTweet(text));
  }

  /** `normalised` is the output of `normaliseTweet`: tokens separated by single spaces. */
  featuriseNormalised(normalised: string): Features {
    const { wordNgramMax, charNgramMin, charNgramMax, negationScope } = this.config;
    const maxFeatures = (normalised.length + 2) * (2 + wordNgramMax + Math.max(0, charNgramMax - charNgramMin + 1)) + 8;
    if (this.buckets.length < maxFeatures) this.buckets = new Int32Array(maxFeatures * 2);
    const buckets = this.buckets;
    const mask = this.mask;
    let count = 0;
    let previous = 0;
    let beforePrevious = 0;
    let tokenIndex = 0;
    let position = 0;
    let negated = false;
    const length = normalised.length;

    // Word n-grams, one token at a time.
    while (position < length) {
      let end = position;
      let state = this.seed ^ 0x811c9dc5;
      let bareState = state;
      let apostrophes = 0;
      const startsWithHash = normalised.charCodeAt(position) === hashMark;
      while (end < length) {
        const code = normalised.charCodeAt(end);
        if (code === space) break;
        state = hashStep(state, code);
        if (code === apostrophe) apostrophes++;
        else bareState = hashStep(bareState, code);
        end++;
      }
      const token = finish(state);
      // Punctuation runs such as "!!" or "?!" start with the char that ends the clause.
      if (isClauseEnd(normalised.charCodeAt(position)) || token === this.butHash) negated = false;

      buckets[count++] = (negated ? combine(token, this.negatedSalt) : token) & mask;
      if (startsWithHash && end - position > 1) {
        // "#happy" also counts as "happy".
        let bare = this.seed ^ 0x811c9dc5;
        for (let i = position + 1; i < end; i++) bare = hashStep(bare, normalised.charCodeAt(i));
        buckets[count++] = finish(bare) & mask;
      }
      if (wordNgramMax >= 2 && tokenIndex >= 1) buckets[count++] = combine(combine(previous, token), this.bigramSalt) & mask;
      if (wordNgramMax >= 3 && tokenIndex >= 2) {
        buckets[count++] = combine(combine(combine(beforePrevious, previous), token), this.trigramSalt) & mask;
      }
      if (negationScope) {
        const bare = apostrophes > 0 ? finish(bareState) : token;
        if (this.negatorHashes.has(bare) || endsWithNegation(normalised, position, end)) negated = true;
      }
      beforePrevious = previous;
      previous = token;
      tokenIndex++;
      position = end + 1;
    }
    const wordCount = count;

    // Character n-grams of each token padded with a space on both sides (" good "): they may
    // begin or end on a space, never hold one inside. Position p reads the padded text.
    if (charNgramMax >= charNgramMin && charNgramMax > 0 && length > 0) {
      const salt = this.charSalt;
      const padded = length + 2;
      for (let start = 0; start < padded - 1; start++) {
        let state = salt;
        for (let n = 1; n <= charNgramMax && start + n <= padded; n++) {
          const at = start + n - 1;
          const code = at === 0 || at === padded - 1 ? space : normalised.charCodeAt(at - 1);
          state = hashStep(state, code);
          if (n >= charNgramMin) buckets[count++] = finish(state ^ n) & mask;
          if (code === space && n > 1) break;
        }
      }
    }
    return { buckets, wordCount, charCount: count - wordCount };
  }
}

function endsWithNegation(text: string, start: number, end: number): boolean {
  return (
    end - start > 3 &&
    text.charCodeAt(end - 1) === charT &&
    text.charCodeAt(end - 2) === apostrophe &&
    text.charCodeAt(end - 3) === charN
  );
}
