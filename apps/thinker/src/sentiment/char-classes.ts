/** What the normaliser does with a char: looked up once per char code, then read from a table. */
export const CharClass = {
  Unknown: 0,
  Space: 1,
  Word: 2,
  Punctuation: 3,
  Emoji: 4,
  /** Joiners, variation selectors, controls: dropped. */
  Ignored: 5,
  HighSurrogate: 6,
  LowSurrogate: 7,
} as const;
export type CharClass = (typeof CharClass)[keyof typeof CharClass];

const classes = new Uint8Array(0x10000);
const lower = new Uint16Array(0x10000);
const astral = new Map<number, CharClass>();
const wordPattern = /^[\p{L}\p{N}\p{M}_]$/u;
const spacePattern = /^\s$/u;
const emojiPattern = /^\p{Extended_Pictographic}$/u;
const ignoredPattern = /^[\p{Cc}\p{Cf}\u{fe00}-\u{fe0f}]$/u;

function classify(char: string): CharClass {
  if (spacePattern.test(char)) return CharClass.Space;
  // Before words: variation selectors are marks too, but only dress up the emoji before them.
  if (ignoredPattern.test(char)) return CharClass.Ignored;
  if (wordPattern.test(char)) return CharClass.Word;
  if (emojiPattern.test(char)) return CharClass.Emoji;
  return CharClass.Punctuation;
}

export function charClass(code: number): CharClass {
  if (code > 0xffff) {
    let kind = astral.get(code);
    if (kind === undefined) {
      kind = classify(String.fromCodePoint(code));
      astral.set(code, kind);
    }
    return kind;
  }
  let kind = classes[code] as CharClass;
  if (kind === CharClass.Unknown) {
    if (code >= 0xd800 && code <= 0xdbff) kind = CharClass.HighSurrogate;
    else if (code >= 0xdc00 && code <= 0xdfff) kind = CharClass.LowSurrogate;
    else kind = classify(String.fromCharCode(code));
    classes[code] = kind;
  }
  return kind;
}

/** Lower case of one char code, when it is one char code ("İ" has no such lower case: kept). */
export function lowerCase(code: number): number {
  if (code < 128) return code >= 65 && code <= 90 ? code + 32 : code;
  let result = lower[code] as number;
  if (result === 0) {
    const lowered = String.fromCharCode(code).toLowerCase();
    result = lowered.length === 1 ? lowered.charCodeAt(0) : code;
    lower[code] = result;
  }
  return result;
}
