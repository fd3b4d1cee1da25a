import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { z } from 'zod';
import { normaliseTweet } from '../../src/sentiment/normalise.js';

const emojiData = z.record(z.string(), z.object({ name: z.string() }));

/**
 * Unicode's names of single-code-point emoji (from the unicode-emoji-json package, MIT), written
 * as the normaliser writes words: "smiling face with heart-eyes" becomes "smiling face with heart - eyes".
 * Keyed by the emoji without its variation selector (the normaliser drops those).
 */
export function loadEmojiNames(): Record<string, string> {
  const path = createRequire(import.meta.url).resolve('unicode-emoji-json/data-by-emoji.json');
  const names = new Map<number, string>();
  for (const [emoji, { name }] of Object.entries(emojiData.parse(JSON.parse(readFileSync(path, 'utf8'))))) {
    const points = [...emoji.replace(/\ufe0f/g, '')];
    if (points.length !== 1) continue;
    names.set((points[0] as string).codePointAt(0) as number, normaliseTweet(name));
  }
  return Object.fromEntries([...names].sort(([a], [b]) => a - b).map(([point, name]) => [String.fromCodePoint(point), name]));
}
