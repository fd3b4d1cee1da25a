const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** User-perceived characters: "👍🏽" and "é" written as e + combining accent are one each. */
export function countGraphemes(text: string): number {
  let count = 0;
  // Segmenting is the slow part; ASCII text has one grapheme per code unit except CR LF.
  if (isPlainAscii(text)) return text.length - countCrLf(text);
  for (const _ of segmenter.segment(text)) count += 1;
  return count;
}

function isPlainAscii(text: string): boolean {
  for (let i = 0; i < text.length; i += 1) if (text.charCodeAt(i) > 0x7e) return false;
  return true;
}

function countCrLf(text: string): number {
  let pairs = 0;
  for (let i = 0; i + 1 < text.length; i += 1) if (text.charCodeAt(i) === 13 && text.charCodeAt(i + 1) === 10) pairs += 1;
  return pairs;
}
