import { combine, finish, hashStep, hashString } from './hashing.js';
import type { FeaturiserConfig } from './featuriser-config.js';
import { TweetNormaliser } from './normalise.js';

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

/** Prior polarity of words, from −4 to 4 (normalised token → mean human rating). */
export type SentimentLexicon = Readonly<Record<string, number>>;
/** Emoji (one code point) → its name as the normaliser writes words. */
export type EmojiNameTable = Readonly<Record<string, string>>;

/** The data a featuriser may need besides its settings; stored in the model file with the weights. */
export interface FeaturiserResources {
  lexicon?: SentimentLexicon;
  emojiNames?: EmojiNameTable;
}

/**
 * Turns a text into hashed feature buckets: normalises it, then hashes word unigrams and
 * bigrams (negated words apart), lexicon ratings and character n-grams straight from the
 * normalised char codes. One instance per thread: it reuses its buffers between texts.
 */
export class Featuriser {
  private buckets = new Int32Array(1024);
  private readonly normaliser: TweetNormaliser;
  private readonly mask: number;
  private readonly seed: number;
  private readonly negatorHashes: Set<number>;
  private readonly negatedSalt: number;
  private readonly bigramSalt: number;
  private readonly lexiconSalt: number;
  /** Token hash → lexicon feature for that token's rounded rating (negated ones get their own). */
  private readonly lexiconFeatures = new Map<number, { plain: number; negated: number; rating: number }>();
  private readonly summarySalt: number;
  private readonly charSalt: number;
  private readonly butHash: number;

  constructor(
    private readonly config: FeaturiserConfig,
    { lexicon, emojiNames }: FeaturiserResources = {},
  ) {
    if (config.lexiconFeatures !== (lexicon !== undefined)) throw new Error(`this featuriser ${config.lexiconFeatures ? 'needs' : 'takes no'} lexicon`);
    if (config.emojiNames !== (emojiNames !== undefined)) throw new Error(`this featuriser ${config.emojiNames ? 'needs' : 'takes no'} emoji names`);
    const names = new Map<number, string>();
    for (const emoji in emojiNames) names.set(emoji.codePointAt(0) as number, emojiNames[emoji] as string);
    this.normaliser = new TweetNormaliser(emojiNames === undefined ? undefined : names);
    this.mask = (1 << config.hashBits) - 1;
    this.seed = config.hashSeed;
    this.negatorHashes = new Set(negators.map((word) => hashString(word, this.seed)));
    this.negatedSalt = hashString('negated', this.seed);
    this.bigramSalt = hashString('bigram', this.seed);
    this.lexiconSalt = hashString('lexicon', this.seed);
    this.charSalt = hashString('chars', this.seed);
    this.summarySalt = hashString('lexicon summary', this.seed);
    this.butHash = hashString('but', this.seed);
    if (lexicon !== undefined) {
      for (const word in lexicon) {
        const level = Math.max(-4, Math.min(4, Math.round(lexicon[word] as number)));
        if (level === 0) continue;
        this.lexiconFeatures.set(hashString(word, this.seed), {
          plain: combine(this.lexiconSalt, level + 4),
          negated: combine(this.lexiconSalt, level + 4 + 16),
          rating: lexicon[word] as number,
        });
      }
    }
  }

  featurise(text: string): Features {
    this.normaliser.normalise(text);
    return this.featuriseNormalised(this.normaliser.codes, this.normaliser.length);
  }

  /** `normalised[0..length)` holds tokens separated by single spaces, as `TweetNormaliser` writes them. */
  featuriseNormalised(normalised: Uint16Array, length: number): Features {
    const { wordNgramMax, charNgramMin, charNgramMax, negationScope } = this.config;
    const maxFeatures = (length + 2) * (3 + wordNgramMax + Math.max(0, charNgramMax - charNgramMin + 1)) + 16;
    if (this.buckets.length < maxFeatures) this.buckets = new Int32Array(maxFeatures * 2);
    const buckets = this.buckets;
    const mask = this.mask;
    let count = 0;
    let previous = 0;
    let tokenIndex = 0;
    const lexicon = this.lexiconFeatures;
    const useLexicon = lexicon.size > 0;
    let position = 0;
    let negated = false;
    const summary = useLexicon && this.config.lexiconSummary === true;
    let ratingSum = 0;
    let strongest = 0;
    let weakest = 0;
    let lastRating = 0;
    let positives = 0;
    let negatives = 0;

    // Word n-grams, one token at a time.
    while (position < length) {
      let end = position;
      let state = this.seed ^ 0x811c9dc5;
      let bareState = state;
      let apostrophes = 0;
      const startsWithHash = (normalised[position] as number) === hashMark;
      while (end < length) {
        const code = (normalised[end] as number);
        if (code === space) break;
        state = hashStep(state, code);
        if (code === apostrophe) apostrophes++;
        else bareState = hashStep(bareState, code);
        end++;
      }
      const token = finish(state);
      // Punctuation runs such as "!!" or "?!" start with the char that ends the clause.
      if (isClauseEnd((normalised[position] as number)) || token === this.butHash) negated = false;

      buckets[count++] = (negated ? combine(token, this.negatedSalt) : token) & mask;
      if (startsWithHash && end - position > 1) {
        // "#happy" also counts as "happy".
        let bare = this.seed ^ 0x811c9dc5;
        for (let i = position + 1; i < end; i++) bare = hashStep(bare, (normalised[i] as number));
        buckets[count++] = finish(bare) & mask;
      }
      if (wordNgramMax >= 2 && tokenIndex >= 1) buckets[count++] = combine(combine(previous, token), this.bigramSalt) & mask;
      if (useLexicon) {
        // Words rare in training still carry the polarity people gave them.
        const prior = lexicon.get(token);
        if (prior !== undefined) {
          buckets[count++] = (negated ? prior.negated : prior.plain) & mask;
          if (summary) {
            // A negated word counts against, at half strength (VADER's rule of thumb is −0.74).
            const rating = negated ? -0.5 * prior.rating : prior.rating;
            ratingSum += rating;
            if (rating > strongest) strongest = rating;
            if (rating < weakest) weakest = rating;
            lastRating = rating;
            if (rating > 0) positives++;
            else negatives++;
          }
        }
      }
      if (negationScope) {
        const bare = apostrophes > 0 ? finish(bareState) : token;
        if (this.negatorHashes.has(bare) || endsWithNegation(normalised, position, end)) negated = true;
      }
      previous = token;
      tokenIndex++;
      position = end + 1;
    }
    if (summary && tokenIndex > 0) {
      const salt = this.summarySalt;
      const level = (value: number, limit: number) => Math.max(-limit, Math.min(limit, Math.round(value))) + limit;
      buckets[count++] = combine(salt, level(ratingSum, 8)) & mask;
      buckets[count++] = combine(salt, 32 + level(strongest, 4)) & mask;
      buckets[count++] = combine(salt, 48 + level(weakest, 4)) & mask;
      buckets[count++] = combine(salt, 64 + level(lastRating, 4)) & mask;
      buckets[count++] = combine(salt, 80 + Math.min(positives, 3)) & mask;
      buckets[count++] = combine(salt, 96 + Math.min(negatives, 3)) & mask;
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
          const code = at === 0 || at === padded - 1 ? space : (normalised[at - 1] as number);
          state = hashStep(state, code);
          if (n >= charNgramMin) buckets[count++] = finish(state ^ n) & mask;
          if (code === space && n > 1) break;
        }
      }
    }
    return { buckets, wordCount, charCount: count - wordCount };
  }
}

function endsWithNegation(text: Uint16Array, start: number, end: number): boolean {
  return end - start > 3 && text[end - 1] === charT && text[end - 2] === apostrophe && text[end - 3] === charN;
}
