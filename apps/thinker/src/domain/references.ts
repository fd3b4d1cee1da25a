import { findMentions, findUrls } from '@trendcast/post-text';
import { normalizeForChecks } from './text-normalization.js';

/** A link, @handle or e-mail address found in a text, with the key two spellings of it share. */
export interface Reference {
  kind: 'link' | 'handle' | 'email';
  text: string;
  key: string;
}

// Top-level domains that make a bare "name.tld" a link people follow. Others ("Node.js", "e.g.")
// read as words; a bare domain still counts when it has a path or starts with www.
const linkTlds = new Set(
  'com net org io co info biz xyz top site online shop store app dev me ly gg tv ai link click live club pro ru cn tk ml ga cf uk de fr us ca au in br example test'.split(' '),
);
const bareDomain = /(?<![\p{L}\p{N}@/._-])((?:[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?\.)+(\p{L}{2,24}))(?::\d{1,5})?(\/[^\s]*)?/gu;
const email = /(?<![\p{L}\p{N}._%+-])[\p{L}\p{N}._%+-]+@(?:[\p{L}\p{N}-]+\.)+\p{L}{2,24}/gu;

/**
 * Every link (with a scheme, or a bare domain that reads as one), @handle and e-mail address in the
 * text, read after normalisation so fullwidth letters and zero-width characters hide nothing.
 */
export function referencesIn(text: string): Reference[] {
  const normalized = normalizeForChecks(text);
  const found: Reference[] = [];
  const taken: Array<[number, number]> = [];
  const free = (start: number, end: number) => taken.every(([s, e]) => end <= s || start >= e);

  for (const url of findUrls(normalized)) {
    found.push({ kind: 'link', text: url.text, key: linkKey(url.text) });
    taken.push([url.start, url.end]);
  }
  for (const match of normalized.matchAll(email)) {
    const end = match.index + match[0].length;
    if (!free(match.index, end)) continue;
    found.push({ kind: 'email', text: match[0], key: match[0].toLowerCase() });
    taken.push([match.index, end]);
  }
  for (const mention of findMentions(normalized)) {
    if (!free(mention.start, mention.end)) continue;
    found.push({ kind: 'handle', text: mention.text, key: mention.text.toLowerCase() });
    taken.push([mention.start, mention.end]);
  }
  for (const match of normalized.matchAll(bareDomain)) {
    const end = match.index + match[0].length;
    if (!free(match.index, end)) continue;
    const [whole, host = '', tld = '', path = ''] = match;
    const readsAsLink = host.toLowerCase().startsWith('www.') || path.length > 1 || linkTlds.has(tld.toLowerCase()) || mixesScripts(host);
    if (!readsAsLink) continue;
    const cleaned = whole.replace(/[.,:;!?'")\]}]+$/u, '');
    found.push({ kind: 'link', text: cleaned, key: linkKey(`https://${cleaned}`) });
    taken.push([match.index, end]);
  }
  return found;
}

/** Scheme-less, lower-case host, no trailing slash: `HTTPS://Evil.example/` and `evil.example` match. */
function linkKey(url: string): string {
  const withoutScheme = url.replace(/^https?:\/\//iu, '');
  const slash = withoutScheme.indexOf('/');
  const host = (slash === -1 ? withoutScheme : withoutScheme.slice(0, slash)).toLowerCase().replace(/^www\./u, '');
  const path = slash === -1 ? '' : withoutScheme.slice(slash).replace(/\/+$/u, '');
  return `${host}${path}`;
}

/** Latin letters beside letters of another script in one name: how look-alike domains are spelled. */
export function mixesScripts(word: string): boolean {
  const latin = /\p{Script=Latin}/u.test(word);
  const other = /[\p{Script=Cyrillic}\p{Script=Greek}\p{Script=Armenian}\p{Script=Cherokee}]/u.test(word);
  return latin && other;
}
