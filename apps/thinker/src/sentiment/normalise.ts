/**
 * Turns a tweet into space-separated tokens that generalise beyond the tweets the model saw:
 * links, mentions and numbers become one token each, case goes, elongations shrink ("sooo" and
 * "soooooo" both become "soo"), emoticons become one word per mood, emoji stand alone, and
 * punctuation is split from words. The featuriser only has to split on spaces.
 */

const entities: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", '#39': "'", '#039': "'" };

/** Emoticons, tried in order on the raw text (case matters: ":D" is not ":d"). */
const emoticons: Array<[RegExp, string]> = [
  [/<\/3+/g, 'emobrokenheart'],
  [/<3+/g, 'emoheart'],
  [/[:;=]'-?[([{]+/g, 'emocry'],
  [/(?:[:=][-^o]?[)\]}]+|(?<!\w)[([{]+[-^]?[:=])/g, 'emosmile'],
  [/(?:[:=][-^]?D+|(?<!\w)[xX]-?D+)(?!\w)/g, 'emolaugh'],
  [/(?:;-?[)\]D]+|(?<!\w)[([]-?;)(?!\w)/g, 'emowink'],
  [/(?:[:=][-^]?[([{]+|(?<!\w)[)\]}]+[-^]?[:=])/g, 'emosad'],
  [/(?:[:=;]|(?<!\w)[xX])[-^]?[pPþ]+(?!\w)/g, 'emotongue'],
  [/[:=][-^]?[/\\|]+(?![\w/])/g, 'emoskeptic'],
  [/[:=][-^]?[oO0]+(?!\w)/g, 'emosurprise'],
];

const entityPattern = /&(amp|lt|gt|quot|apos|#0?39);/g;
const urlPattern = /(?:https?:\/\/|www\.)\S+/gi;
const mentionPattern = /@\w+/g;
const curlySingle = /[\u2018\u2019\u02bc\u2032]/g;
const curlyDouble = /[\u201c\u201d\u00ab\u00bb]/g;
const numberPattern = /\d+(?:[.,:]\d+)*/g;
const elongation = /(.)\1{2,}/gu;
// Skin tones, variation selectors and joiners carry no sentiment: the base emoji does.
const emojiModifiers = /\u200d|\ufe0e|\ufe0f|[\u{1f3fb}-\u{1f3ff}]/gu;
const emoji = /\p{Extended_Pictographic}/gu;
// Anything that is not part of a word: letters, digits, apostrophes inside words, # and @ heads.
const punctuationRun = /[^\p{L}\p{N}\p{M}\s'#@_]+/gu;
const looseApostrophes = /(^|\s)'+|'+(?=\s|$)/g;
const looseMarks = /(^|\s)[#@]+(?=\s|$)/g;
const whitespace = /\s+/g;

export function normaliseTweet(text: string): string {
  let t = text.replace(entityPattern, (_m, name: string) => entities[name] ?? ' ');
  t = t.replace(urlPattern, ' xurl ');
  t = t.replace(mentionPattern, ' @user ');
  for (const [pattern, token] of emoticons) t = t.replace(pattern, ` ${token} `);
  t = t.toLowerCase();
  t = t.replace(curlySingle, "'").replace(curlyDouble, '"');
  t = t.replace(numberPattern, '0');
  t = t.replace(elongation, '$1$1');
  t = t.replace(emojiModifiers, '').replace(emoji, ' $& ');
  t = t.replace(punctuationRun, ' $& ');
  t = t.replace(looseApostrophes, '$1 ').replace(looseMarks, '$1 ');
  return t.replace(whitespace, ' ').trim();
}
