/**
 * Emoticons, each mapped to one word per mood (":-)", ":]" and "(:" all become "emosmile").
 * Tried only where a face can start; case matters (":D" laughs, ":d" does not).
 * Faces that start with a bracket or "x" only count after a non-word char ("f(:" is no face).
 */
const faces: Array<[string, string]> = [
  ['emobrokenheart', String.raw`<\/3+`],
  ['emoheart', String.raw`<3+`],
  ['emocry', String.raw`[:;=]'-?[(\[{]+`],
  ['emosmile', String.raw`[:=][-^o]?[)\]}]+`],
  ['emolaugh', String.raw`[:=][-^]?D+(?!\w)`],
  ['emowink', String.raw`;-?[)\]D]+(?!\w)`],
  ['emosad', String.raw`[:=][-^]?[(\[{]+`],
  ['emotongue', String.raw`[:=;][-^]?[pPþ]+(?!\w)`],
  ['emoskeptic', String.raw`[:=][-^]?[/\\|]+(?![\w/])`],
  ['emosurprise', String.raw`[:=][-^]?[oO]+(?!\w)`],
];
const facesAfterBoundary: Array<[string, string]> = [
  ['emosmile', String.raw`[(\[{]+[-^]?[:=]`],
  ['emolaugh', String.raw`[xX]-?D+(?!\w)`],
  ['emowink', String.raw`[(\[]-?;(?!\w)`],
  ['emosad', String.raw`[)\]}]+[-^]?[:=]`],
  ['emotongue', String.raw`[xX][-^]?[pPþ]+(?!\w)`],
];

function stickyAlternation(list: Array<[string, string]>): { pattern: RegExp; tokens: string[] } {
  return { pattern: new RegExp(list.map(([, source]) => `(${source})`).join('|'), 'y'), tokens: list.map(([token]) => token) };
}

const anywhere = stickyAlternation(faces);
const atBoundary = stickyAlternation([...faces, ...facesAfterBoundary]);

/** Chars a face can start with: < : ; = ( [ { ) ] } x X */
const starts = new Uint8Array(128);
for (const char of '<:;=([{)]}xX') starts[char.charCodeAt(0)] = 1;

export function matchEmoticon(text: string, at: number, afterWord: boolean): { token: string; length: number } | undefined {
  const code = text.charCodeAt(at);
  if (code >= 128 || starts[code] === 0) return undefined;
  const { pattern, tokens } = afterWord ? anywhere : atBoundary;
  pattern.lastIndex = at;
  const match = pattern.exec(text);
  if (match === null) return undefined;
  for (let group = 1; group < match.length; group++) {
    if (match[group] !== undefined) return { token: tokens[group - 1] as string, length: match[0].length };
  }
  return undefined;
}
