import { charClass, CharClass, lowerCase } from './char-classes.js';
import { matchEmoticon } from './emoticons.js';

/** Emoji code point → its name in lower case ("face with tears of joy"). */
export type EmojiNames = ReadonlyMap<number, string>;

/**
 * Turns a tweet into space-separated tokens that generalise beyond the tweets the model saw:
 * links, mentions and numbers become one token each, case goes, elongations shrink ("sooo" and
 * "soooooo" both become "soo"), emoticons become one word per mood, emoji stand alone (followed by
 * their Unicode name when one is given: "😂" becomes "😂 face with tears of joy"), and
 * punctuation is split from words. One pass over the char codes into a reused buffer, so
 * scoring allocates nothing per token; the featuriser then only has to split on spaces.
 */
export class TweetNormaliser {
  codes = new Uint16Array(512);
  length = 0;

  constructor(private readonly emojiNames?: EmojiNames) {}

  /** Fills `codes[0..length)` with the normalised text of `raw`. */
  normalise(raw: string): void {
    const text = raw.includes('&') ? decodeEntities(raw) : raw;
    // The most a char can grow to is ":o" (2 chars) becoming " emosurprise " (13); emoji names grow the buffer themselves.
    const room = text.length * 8 + 16;
    if (this.codes.length < room) this.codes = new Uint16Array(room);
    this.length = 0;
    const end = text.length;
    let i = 0;
    let inWord = false;
    while (i < end) {
      const code = text.charCodeAt(i);
      // Most chars are ASCII letters inside a word: nothing else can start there.
      if (inWord && ((code >= 97 && code <= 122) || (code >= 65 && code <= 90))) {
        this.put(code >= 97 ? code : code + 32);
        i++;
        continue;
      }
      inWord = false;
      const kind = charClass(code);
      if (kind === CharClass.Space) {
        this.boundary();
        i++;
        continue;
      }
      const afterWord = i > 0 && isAsciiWord(text.charCodeAt(i - 1));
      if ((code === 104 || code === 72 || code === 119 || code === 87) && startsUrl(text, i)) {
        while (i < end && charClass(text.charCodeAt(i)) !== CharClass.Space) i++;
        this.token('xurl');
        continue;
      }
      if (code === 64 && i + 1 < end && isAsciiWord(text.charCodeAt(i + 1))) {
        i++;
        while (i < end && isAsciiWord(text.charCodeAt(i))) i++;
        this.token('@user');
        continue;
      }
      const emoticon = matchEmoticon(text, i, afterWord);
      if (emoticon !== undefined) {
        this.token(emoticon.token);
        i += emoticon.length;
        continue;
      }
      if (code >= 48 && code <= 57) {
        // A number, with its separators ("3.39", "1,000", "12:30"), is the word "0".
        while (i < end && isDigit(text.charCodeAt(i))) {
          i++;
          const next = text.charCodeAt(i);
          if ((next === 46 || next === 44 || next === 58) && isDigit(text.charCodeAt(i + 1))) i++;
        }
        if (this.previous() !== CharClass.Word) this.boundary();
        this.put(48);
        continue;
      }
      if (kind === CharClass.Word) {
        if (this.previous() === CharClass.Punctuation) this.boundary();
        this.put(lowerCase(code));
        inWord = true;
        i++;
        continue;
      }
      if (code === 39 || code === 0x2019 || code === 0x2018 || code === 0x02bc || code === 0x2032) {
        // An apostrophe belongs to the word around it ("don't"), and is dropped elsewhere.
        if (this.previous() === CharClass.Word && charClass(text.charCodeAt(i + 1)) === CharClass.Word) this.put(39);
        else this.boundary();
        i++;
        continue;
      }
      if ((code === 35 || code === 64) && this.previous() !== CharClass.Word && charClass(text.charCodeAt(i + 1)) === CharClass.Word) {
        // "#happy" stays a hashtag; a lone "#" or "@" says nothing.
        this.boundary();
        this.put(code);
        i++;
        continue;
      }
      if (kind === CharClass.Ignored) {
        i++;
        continue;
      }
      if (kind === CharClass.HighSurrogate) {
        const point = text.codePointAt(i) as number;
        const width = point > 0xffff ? 2 : 1;
        if (charClass(point) === CharClass.Emoji) this.emoji(text, i, width);
        else if (!(point >= 0x1f3fb && point <= 0x1f3ff)) this.boundary();
        i += width;
        continue;
      }
      if (kind === CharClass.Emoji) {
        this.emoji(text, i, 1);
        i++;
        continue;
      }
      if (code === 35 || code === 64) {
        this.boundary();
        i++;
        continue;
      }
      // Punctuation and symbols: a run of them is one token ("?!", "..").
      if (this.previous() !== CharClass.Punctuation) this.boundary();
      this.put(code === 0x201c || code === 0x201d || code === 0xab || code === 0xbb ? 34 : code);
      i++;
    }
    if (this.length > 0 && this.codes[this.length - 1] === 32) this.length--;
  }

  /** What kind of char was written last: Space when a token has just ended or nothing was written. */
  private previous(): CharClass {
    if (this.length === 0) return CharClass.Space;
    const last = this.codes[this.length - 1] as number;
    if (last === 32) return CharClass.Space;
    const kind = charClass(last);
    // Emoji are always followed by a space, so anything else written is part of a word or a run of punctuation.
    return kind === CharClass.Word || last === 39 || last === 35 || last === 64 ? CharClass.Word : CharClass.Punctuation;
  }

  private put(code: number): void {
    const n = this.length;
    // Three or more of the same char in a row become two.
    if (n >= 2 && this.codes[n - 1] === code && this.codes[n - 2] === code) return;
    this.codes[this.length++] = code;
  }

  private boundary(): void {
    if (this.length > 0 && this.codes[this.length - 1] !== 32) this.codes[this.length++] = 32;
  }

  private token(word: string): void {
    this.boundary();
    for (let k = 0; k < word.length; k++) this.codes[this.length++] = word.charCodeAt(k);
    this.boundary();
  }

  private emoji(text: string, at: number, width: number): void {
    this.boundary();
    for (let k = 0; k < width; k++) this.codes[this.length++] = text.charCodeAt(at + k);
    this.boundary();
    // Training tweets hold hardly any emoji; their names are words the model knows.
    const name = this.emojiNames?.get(text.codePointAt(at) as number);
    if (name === undefined) return;
    if (this.codes.length < this.length + name.length + 8 * (text.length - at) + 16) {
      const grown = new Uint16Array((this.length + name.length + 8 * (text.length - at) + 16) * 2);
      grown.set(this.codes.subarray(0, this.length));
      this.codes = grown;
    }
    this.token(name);
  }
}

const entityPattern = /&(amp|lt|gt|quot|apos|#0?39);/g;
const entities: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", '#39': "'", '#039': "'" };

function decodeEntities(text: string): string {
  return text.replace(entityPattern, (_match, name: string) => entities[name] ?? ' ');
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

function isAsciiWord(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || (code >= 48 && code <= 57) || code === 95;
}

/** "http://", "https://" or "www." at `at`, in any case. */
function startsUrl(text: string, at: number): boolean {
  const lower = (offset: number) => text.charCodeAt(at + offset) | 0x20;
  if (lower(0) === 119) return lower(1) === 119 && lower(2) === 119 && text.charCodeAt(at + 3) === 46;
  if (lower(1) !== 116 || lower(2) !== 116 || lower(3) !== 112) return false;
  const colon = lower(4) === 115 ? 5 : 4;
  return text.charCodeAt(at + colon) === 58 && text.charCodeAt(at + colon + 1) === 47 && text.charCodeAt(at + colon + 2) === 47;
}

/** The normalised text as a string (for reading and tests; scoring uses the buffer). */
export function normaliseTweet(text: string, emojiNames?: EmojiNames): string {
  const normaliser = new TweetNormaliser(emojiNames);
  normaliser.normalise(text);
  let normalised = '';
  for (let at = 0; at < normaliser.length; at += 4096) {
    normalised += String.fromCharCode(...normaliser.codes.subarray(at, Math.min(normaliser.length, at + 4096)));
  }
  return normalised;
}
