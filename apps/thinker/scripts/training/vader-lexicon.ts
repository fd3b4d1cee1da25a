import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { normaliseTweet } from '../../src/sentiment/normalise.js';

/**
 * VADER's lexicon (C.J. Hutto, MIT): about 7,500 words and emoticons with their mean human rating
 * from −4 to 4, read from the vader-sentiment package. Entries are keyed by what the normaliser
 * makes of them (":-)" becomes "emosmile"); entries that normalise to the same token are averaged,
 * and those that become several tokens are left out.
 */
export function loadVaderLexicon(): Record<string, number> {
  const packageDirectory = dirname(createRequire(import.meta.url).resolve('vader-sentiment/package.json'));
  const sums = new Map<string, { total: number; count: number }>();
  for (const line of readFileSync(join(packageDirectory, 'vader_lexicon.txt'), 'utf8').split('\n')) {
    const [entry, rating] = line.split('\t');
    if (entry === undefined || rating === undefined) continue;
    const token = normaliseTweet(entry);
    if (token === '' || token.includes(' ')) continue;
    const sum = sums.get(token) ?? { total: 0, count: 0 };
    sum.total += Number(rating);
    sum.count += 1;
    sums.set(token, sum);
  }
  return Object.fromEntries(
    [...sums].sort(([a], [b]) => (a < b ? -1 : 1)).map(([token, { total, count }]) => [token, Math.round((total / count) * 1000) / 1000]),
  );
}
