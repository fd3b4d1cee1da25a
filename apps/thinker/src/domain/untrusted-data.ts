import { mixesScripts } from './references.js';
import { hasInvisibleCharacters, normalizeForChecks } from './text-normalization.js';

export type FenceTag = 'trend_data' | 'topic' | 'posts';

// Inside the fence nothing may read as markup: angle brackets (and their look-alikes NFKC does not
// fold), ampersands, invisible format characters (zero-width, bidi, Unicode "tag" characters used to
// smuggle hidden text) and line separators are written as JSON \u escapes.
const mustEscape = /[<>&\p{Cf}\u2028\u2029\u2039\u203a\u2329\u232a\u27e8\u27e9\u3008\u3009\u300a\u300b]/gu;

/**
 * The value as JSON between `<tag>` and `</tag>`, every string folded to NFKC (fullwidth `＜` becomes
 * `<`) and every `<`, `>` and invisible character escaped, so no text inside can close the block or
 * open another: `</trend_data>` in the data arrives as `\u003c/trend_data\u003e`.
 */
export function fence(tag: FenceTag, value: unknown): string {
  return `<${tag}>\n${escapeForPrompt(JSON.stringify(foldStrings(value), null, 2))}\n</${tag}>`;
}

function escapeForPrompt(json: string): string {
  return json.replace(mustEscape, (character) =>
    Array.from({ length: character.length }, (_, i) => `\\u${character.charCodeAt(i).toString(16).padStart(4, '0')}`).join(''),
  );
}

function foldStrings(value: unknown): unknown {
  if (typeof value === 'string') return value.normalize('NFKC');
  if (Array.isArray(value)) return value.map(foldStrings);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, foldStrings(item)]));
  }
  return value;
}

const injectionSigns: RegExp[] = [
  // markup that opens or closes a block, or a chat template's role markers
  /<\/?\s*[a-z_|][\w|-]*\s*>/iu,
  /\[\/?(inst|sys)\]|<\|?(im_start|im_end|system|user|assistant)\|?>/iu,
  /(^|[\s"'(])(system|assistant|developer|user)\s*:/iu,
  // the usual phrasings
  /\b(ignore|disregard|forget|override|bypass)\b[^.!?\n]{0,40}\b(instructions?|prompts?|rules|above|previous|prior|guidelines)\b/iu,
  /\b(system prompt|your (instructions|rules|prompt)|new instructions|jailbreak|developer mode)\b/iu,
];

/**
 * Whether a piece of untrusted text reads like an attempt to instruct the model: markup, role
 * markers, "ignore previous instructions", hidden characters, or look-alike letters from another
 * script inside a word. Such text is still written about (inside the fence) but never trusted for
 * links or handles, and the offline generator leaves it out.
 */
export function looksLikeInjection(text: string): boolean {
  if (hasInvisibleCharacters(text)) return true;
  const normalized = normalizeForChecks(text);
  if (injectionSigns.some((sign) => sign.test(normalized))) return true;
  return normalized.split(/\s+/u).some(mixesScripts);
}
