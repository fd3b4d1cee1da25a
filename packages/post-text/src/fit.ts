import { countPostText, defaultCountRules, type CountRules } from './count.js';
import { findEntities } from './entities.js';

export interface FitResult {
  text: string;
  trimmed: boolean;
  length: number;
}

const ellipsis = '…';

/**
 * Shortens `text` to at most `limit` as the network counts it: at the last sentence end that fits
 * (when that keeps at least half the limit: a whole sentence reads better than a cut one), else at the
 * last word boundary (with an ellipsis); never inside a word, a link or a mention.
 * A text whose first word alone is too long comes back empty: there is no honest cut.
 */
export function fitToLimit(text: string, limit: number, rules: CountRules = defaultCountRules): FitResult {
  const whole = text.trim();
  const length = countPostText(whole, rules);
  if (length <= limit) return { text: whole, trimmed: false, length };

  const cuts = cutPoints(whole);
  const fits = (candidate: string) => countPostText(candidate, rules) <= limit;
  for (let i = cuts.sentences.length - 1; i >= 0; i -= 1) {
    const candidate = whole.slice(0, cuts.sentences[i]).trimEnd();
    if (candidate && fits(candidate)) {
      if (countPostText(candidate, rules) * 2 >= limit) return done(candidate, rules);
      break;
    }
  }
  for (let i = cuts.words.length - 1; i >= 0; i -= 1) {
    const candidate = whole.slice(0, cuts.words[i]).replace(/[\s,;:–—-]+$/u, '') + ellipsis;
    if (candidate.length > ellipsis.length && fits(candidate)) return done(candidate, rules);
  }
  return { text: '', trimmed: true, length: 0 };
}

function done(text: string, rules: CountRules): FitResult {
  return { text, trimmed: true, length: countPostText(text, rules) };
}

/** Offsets where the text may be cut: after a sentence's end mark, and before each space. */
function cutPoints(text: string): { sentences: number[]; words: number[] } {
  const entities = findEntities(text);
  const inside = (at: number) => entities.some((entity) => at > entity.start && at < entity.end);
  const sentences: number[] = [];
  const words: number[] = [];
  for (const match of text.matchAll(/[.!?…]+["')\]]*(?=\s|$)/gu)) {
    const end = match.index + match[0].length;
    if (!inside(end)) sentences.push(end);
  }
  for (const match of text.matchAll(/\s+/gu)) {
    if (!inside(match.index)) words.push(match.index);
  }
  return { sentences, words };
}
