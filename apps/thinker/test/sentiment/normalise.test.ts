import { describe, expect, it } from 'vitest';
import { Featuriser } from '../../src/sentiment/featuriser.js';
import type { FeaturiserConfig } from '../../src/sentiment/featuriser-config.js';
import { normaliseTweet } from '../../src/sentiment/normalise.js';

describe('normalising a tweet', () => {
  it.each([
    ['Check https://t.co/AbC and www.example.com now', 'check xurl and xurl now'],
    ['@Alice @bob_99 hi', '@user @user hi'],
    ['I LOVE it', 'i love it'],
    ['sooooo goooood', 'soo good'],
    ['Paid $3.39 at 12:30, 1,000 times', 'paid $ 0 at 0 , 0 times'],
    ['yes :) :-) (: :D xD ;) :( :\'( <3 </3 :P', "yes emosmile emosmile emosmile emolaugh emolaugh emowink emosad emocry emoheart emobrokenheart emotongue"],
    ['great!!!! really?!', 'great !! really ?!'],
    ['I don’t know &amp; &lt;3', "i don't know & emoheart"],
    ['#Blessed # @ day', '#blessed day'],
    ['party 😍👍🏽❤️', 'party 😍 👍 ❤'],
    ['Ünïcödé ÉTÉ', 'ünïcödé été'],
    ['   ', ''],
  ])('when the text is %j, then it becomes %j', (text, expected) => {
    expect(normaliseTweet(text)).toBe(expected);
  });
});

describe('naming emoji', () => {
  it('when an emoji has a name in the table, then the name follows it as words', () => {
    const names = new Map([[0x1f60d, 'smiling face with heart - eyes']]);
    expect(normaliseTweet('party😍😍 🍕', names)).toBe('party 😍 smiling face with heart - eyes 😍 smiling face with heart - eyes 🍕');
  });

  it('when a text is mostly emoji with long names, then the buffer grows to hold them', () => {
    const names = new Map([[0x1f60d, 'a very long name '.repeat(20).trim()]]);
    expect(normaliseTweet('😍'.repeat(300), names).split(' ').length).toBe(300 * (1 + 80));
  });
});

describe('featurising a tweet', () => {
  const config: FeaturiserConfig = {
    hashBits: 20,
    hashSeed: 1,
    wordNgramMax: 2,
    charNgramMin: 2,
    charNgramMax: 5,
    negationScope: true,
    lexiconFeatures: false,
    emojiNames: false,
  };
  const words = (featuriser: Featuriser, text: string) => {
    const { buckets, wordCount } = featuriser.featurise(text);
    return Array.from(buckets.subarray(0, wordCount));
  };

  it('when a word follows a negation, then it is hashed apart from the plain word until punctuation ends the clause', () => {
    const featuriser = new Featuriser(config);
    const plain = words(featuriser, 'good');
    const negated = words(featuriser, "don't good");
    const afterClause = words(featuriser, "don't . good");
    expect(negated).not.toContain(plain[0]);
    expect(afterClause).toContain(plain[0]);
    expect(words(new Featuriser({ ...config, negationScope: false }), "don't good")).toContain(plain[0]);
  });

  it('when a text is featurised, then every bucket is inside the table and words come before character n-grams', () => {
    const featuriser = new Featuriser({ ...config, hashBits: 10 });
    const { buckets, wordCount, charCount } = featuriser.featurise('not bad at all #win :)');
    // 6 tokens + the bare hashtag word + 5 bigrams.
    expect(wordCount).toBe(12);
    expect(charCount).toBeGreaterThan(40);
    for (const bucket of buckets.subarray(0, wordCount + charCount)) expect(bucket).toBeLessThan(1024);
  });

  it('when a lexicon is required but missing, then the featuriser refuses to start', () => {
    expect(() => new Featuriser({ ...config, lexiconFeatures: true })).toThrow(/needs lexicon/);
  });
});
