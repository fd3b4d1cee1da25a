import type { FeaturiserResources } from '../../src/sentiment/featuriser.js';
import type { FeaturiserConfig } from '../../src/sentiment/featuriser-config.js';
import { loadEmojiNames } from './emoji-names.js';
import { loadVaderLexicon } from './vader-lexicon.js';

/** The lexicon and emoji names a featuriser configuration asks for, read from their packages. */
export function loadResources(config: FeaturiserConfig): FeaturiserResources {
  return {
    ...(config.lexiconFeatures ? { lexicon: loadVaderLexicon() } : {}),
    ...(config.emojiNames ? { emojiNames: loadEmojiNames() } : {}),
  };
}
