import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { z } from 'zod';
import { normaliseTweet } from '../../src/sentiment/normalise.js';

const emojiData = z.record(z.string(), z.object({ name: z.string() }));

/**
 * Unicode's names of single-code-point emoji (from the unicode-emoji-json package, MIT), written
 * as the normaliser writes words: "smiling face with heart-eyes" becomes "smiling face with heart - eyes".
 * Keyed by the emoji's code point (its variation selector dropped, as the normaliser drops it).
 */
export function loadEmojiNames(): Map<number, string> {
  const path = createRequire(import.meta.url).resolve('unicode-emoji-json/data-by-emoji.json');
  const names = new Map<number, string>();
  for (const [emoji, { name }] of Object.entries(emojiData.parse(JSON.parse(readFileSync(path, 'utf8'))))) {
    const points = [...emoji.replace(/\ufe0f/g, '')];
    if (points.length !== 1) continue;
    names.set((points[0] as string).codePointAt(0) as number, normaliseTweet(name));
  }
  return new Map([...names].sort(([a], [b]) => a - b));
}
