/** A link or a mention found in a post, with where it sits (UTF-16 offsets, end exclusive). */
export interface TextEntity {
  kind: 'url' | 'mention';
  text: string;
  start: number;
  end: number;
}

// A link as networks recognise one: a scheme, then anything up to whitespace. Punctuation that ends
// a sentence is not part of it ("see https://a.example/x." links to /x).
const urlPattern = /\bhttps?:\/\/[^\s<>"]+/giu;
const trailingPunctuation = /[.,:;!?'")\]}]+$/u;

// @user or @user@instance.domain, not preceded by a word character (so e-mail addresses are not mentions).
const mentionPattern = /(?<![\p{L}\p{N}_@/])@([\p{L}\p{N}_]{1,30})(?:@([\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+))?/gu;

export function findUrls(text: string): TextEntity[] {
  const found: TextEntity[] = [];
  for (const match of text.matchAll(urlPattern)) {
    const url = match[0].replace(trailingPunctuation, '');
    found.push({ kind: 'url', text: url, start: match.index, end: match.index + url.length });
  }
  return found;
}

export function findMentions(text: string): TextEntity[] {
  const found: TextEntity[] = [];
  for (const match of text.matchAll(mentionPattern)) {
    found.push({ kind: 'mention', text: match[0], start: match.index, end: match.index + match[0].length });
  }
  return found;
}

/** Links and mentions in reading order; a mention inside a link belongs to the link. */
export function findEntities(text: string): TextEntity[] {
  const urls = findUrls(text);
  const insideUrl = (at: number) => urls.some((url) => at >= url.start && at < url.end);
  const mentions = findMentions(text).filter((mention) => !insideUrl(mention.start));
  return [...urls, ...mentions].sort((a, b) => a.start - b.start);
}
