import { z } from 'zod';

/** Bumped whenever the normaliser or featuriser changes what a text turns into. */
export const featuriserVersion = 3;

export const featuriserConfigSchema = z.strictObject({
  /** Features are hashed into 2^hashBits buckets shared by every feature kind. */
  hashBits: z.number().int().min(4).max(24),
  /** Seeds the feature hashes, so two models can use unrelated bucket layouts. */
  hashSeed: z.number().int().min(0).max(0xffffffff),
  /** Word n-grams up to this length (1: unigrams, 2: and bigrams). */
  wordNgramMax: z.number().int().min(1).max(2),
  /** Character n-grams inside each token padded with spaces, from min to max chars; max 0 turns them off. */
  charNgramMin: z.number().int().min(1).max(8),
  charNgramMax: z.number().int().min(0).max(8),
  /** Words after "not", "never", "…n't" up to the next punctuation are hashed as negated. */
  negationScope: z.boolean(),
  /** Each word found in the lexicon stored with the model also counts as its rounded rating. */
  lexiconFeatures: z.boolean(),
  /** Emoji are followed by their Unicode name, from the table stored with the model. */
  emojiNames: z.boolean(),
  /**
   * Whole-text lexicon features besides each word's rating: the rounded sum of ratings (negated
   * words count against), the strongest positive and negative rating, the last rated word's
   * rating, and how many positive and negative words there are (0, 1, 2, 3 or more).
   */
  lexiconSummary: z.boolean().optional(),
});
export type FeaturiserConfig = z.infer<typeof featuriserConfigSchema>;
