import { createHash } from 'node:crypto';
import { Featuriser, type FeaturiserResources } from './featuriser.js';
import { featuriserVersion, type FeaturiserConfig } from './featuriser-config.js';

/**
 * Texts that exercise every normalisation and feature rule. Their hashed features, with the
 * featuriser's settings and version, make the feature hash stored beside the weights: if the code
 * would now turn a text into different buckets than at training time, loading refuses the weights
 * instead of scoring with them silently wrong.
 */
const probeTexts = [
  'I soooo LOVE this!!! :) :-D <3 #blessed @Someone http://t.co/abc www.example.com',
  "Don't like it, not good at all :( but ok. Can't wait ;) :P :/ :o :'( </3",
  'Prices rose 3.5% to $1,200 on 12:30 &amp; &lt;that&gt; isn’t “fine” 😍👍🏽❤️😂😡🍕',
  'never again... nobody cares?! without doubt — Ünïcödé façade naïve, not happy, not sad, great awful',
  '',
];

export function computeFeatureHash(
  config: FeaturiserConfig,
  resources: FeaturiserResources = {},
  featuriser: Featuriser = new Featuriser(config, resources),
): string {
  const hash = createHash('sha256');
  const canonicalConfig = Object.fromEntries(Object.entries(config).sort(([a], [b]) => a.localeCompare(b)));
  hash.update(`featuriser v${featuriserVersion} ${JSON.stringify(canonicalConfig)}\n`);
  hash.update(`lexicon ${JSON.stringify(resources.lexicon ?? null)}\nemoji ${JSON.stringify(resources.emojiNames ?? null)}\n`);
  for (const text of probeTexts) {
    const { buckets, wordCount, charCount } = featuriser.featurise(text);
    hash.update(`${wordCount} ${charCount}\n`);
    hash.update(new Uint8Array(buckets.buffer, 0, (wordCount + charCount) * 4));
  }
  return hash.digest('hex').slice(0, 16);
}
