/**
 * How long a post is for the channels, the way they count: user-perceived characters (grapheme
 * clusters), every http(s) link as 23. The one place the web app counts, so the shared
 * `@trendcast/post-text` package can replace this module's body in one line.
 */
import type { ChannelKind } from './api/thinker.js';

/** What a link costs, whatever its length (Mastodon's and Trendcast's timeline rule). */
export const linkLength = 23;
const defaultLimits: Record<ChannelKind, number> = { timeline: 500, mastodon: 500 };

const linkPattern = /\bhttps?:\/\/[^\s<>"]+/giu;
const segmenter = typeof Intl !== 'undefined' && 'Segmenter' in Intl ? new Intl.Segmenter(undefined, { granularity: 'grapheme' }) : undefined;

function graphemes(text: string): number {
  if (!segmenter) return [...text].length;
  let count = 0;
  for (const _ of segmenter.segment(text)) count += 1;
  return count;
}

export function countPostText(text: string): number {
  let links = 0;
  const withoutLinks = text.replace(linkPattern, () => {
    links += 1;
    return '';
  });
  return graphemes(withoutLinks) + links * linkLength;
}

/** The channel kind's limit; a connected channel's own `maxCharacters` wins when known. */
export function limitFor(kind: ChannelKind): number {
  return defaultLimits[kind];
}
