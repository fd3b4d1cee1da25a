// Characters that change nothing a reader sees but split words for a machine: zero-width spaces and
// joiners, the word joiner, bidi controls, the byte-order mark, soft hyphens (all Unicode "Cf").
const invisible = /\p{Cf}/gu;

/**
 * The text as checks should read it: compatibility forms folded (NFKC turns fullwidth `ｈｔｔｐｓ`,
 * `＠admin` and `＜` into their ASCII selves) and invisible format characters removed, so
 * `htt\u200Bps://evil.example` is a link again.
 */
export function normalizeForChecks(text: string): string {
  return text.normalize('NFKC').replace(invisible, '');
}

/** Whether the text hides format characters (zero-width, bidi overrides): a sign of a disguised payload. */
export function hasInvisibleCharacters(text: string): boolean {
  return /\p{Cf}/u.test(text);
}

/** Lower-case words of letters and digits, for comparing texts whatever their punctuation and spacing. */
export function wordsOf(text: string): string[] {
  return normalizeForChecks(text).toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}
