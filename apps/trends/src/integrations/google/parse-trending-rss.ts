import { XMLParser } from 'fast-xml-parser';
import { z } from 'zod';
import { httpUrlOrNull } from './safe-url.js';

/** One search trending now, from Google's trending RSS feed (elements of the `ht:` namespace). */
export interface TrendingSearch {
  title: string;
  /** As Google words it: "200K+". */
  approxTraffic: string;
  /** The lower bound of approxTraffic as a number (200K+ → 200000), null when unreadable. */
  approxTrafficMin: number | null;
  publishedAt: string | null;
  picture: { url: string; source: string | null } | null;
  news: TrendingNewsItem[];
}

export interface TrendingNewsItem {
  title: string;
  url: string;
  source: string | null;
  picture: string | null;
  snippet: string | null;
}

export class TrendingFeedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TrendingFeedError';
  }
}

const text = z.string().trim();
const optionalText = z
  .union([z.string(), z.number()])
  .optional()
  .transform((value) => (value === undefined || String(value).trim() === '' ? null : String(value).trim()));

const newsItemSchema = z.object({
  'ht:news_item_title': text.min(1),
  'ht:news_item_url': text,
  'ht:news_item_source': optionalText,
  'ht:news_item_picture': optionalText,
  'ht:news_item_snippet': optionalText,
});

const itemSchema = z.object({
  title: text.min(1),
  'ht:approx_traffic': optionalText,
  pubDate: optionalText,
  'ht:picture': optionalText,
  'ht:picture_source': optionalText,
  'ht:news_item': z.array(newsItemSchema).default([]),
});

const feedSchema = z.object({
  rss: z.object({
    channel: z.object({ item: z.array(itemSchema).default([]) }),
  }),
});

const parser = new XMLParser({
  ignoreAttributes: true,
  // Titles such as "2024" or "1917" must stay text.
  parseTagValue: false,
  trimValues: true,
  isArray: (name) => name === 'item' || name === 'ht:news_item',
});

/** Parses the RSS document served at https://trends.google.com/trending/rss?geo=XX. */
export function parseTrendingRss(xml: string): TrendingSearch[] {
  if (!xml.trimStart().startsWith('<?xml') && !xml.trimStart().startsWith('<rss')) {
    throw new TrendingFeedError('Google answered the trending feed with something that is not RSS');
  }
  let document: unknown;
  try {
    document = parser.parse(xml, true);
  } catch (error) {
    throw new TrendingFeedError(`Google's trending feed is not well-formed XML (${(error as Error).message})`);
  }
  const feed = feedSchema.safeParse(document);
  if (!feed.success) {
    const issue = feed.error.issues[0];
    throw new TrendingFeedError(`Google's trending feed has an unknown shape (${issue?.path.join('.')}: ${issue?.message})`);
  }
  return feed.data.rss.channel.item.map((item) => ({
    title: item.title,
    approxTraffic: item['ht:approx_traffic'] ?? '',
    approxTrafficMin: trafficLowerBound(item['ht:approx_traffic']),
    publishedAt: toIso(item.pubDate),
    picture: httpUrlOrNull(item['ht:picture']) ? { url: httpUrlOrNull(item['ht:picture'])!, source: item['ht:picture_source'] } : null,
    // A news item whose link is not http(s) is dropped; a picture that is not becomes null.
    news: item['ht:news_item'].flatMap((news) => {
      const url = httpUrlOrNull(news['ht:news_item_url']);
      if (!url) return [];
      return [
        {
          title: news['ht:news_item_title'],
          url,
          source: news['ht:news_item_source'],
          picture: httpUrlOrNull(news['ht:news_item_picture']),
          snippet: news['ht:news_item_snippet'],
        },
      ];
    }),
  }));
}

/** "2M+" → 2000000, "500K+" → 500000, "1,000+" → 1000. */
export function trafficLowerBound(traffic: string | null | undefined): number | null {
  const match = /^([\d.,]+)\s*([KMB])?\+?$/i.exec((traffic ?? '').trim());
  if (!match?.[1]) return null;
  const base = Number(match[1].replaceAll(',', ''));
  const scale = { K: 1e3, M: 1e6, B: 1e9 }[(match[2] ?? '').toUpperCase() as 'K' | 'M' | 'B'] ?? 1;
  return Number.isFinite(base) ? Math.round(base * scale) : null;
}

function toIso(date: string | null): string | null {
  if (!date) return null;
  const parsed = Date.parse(date);
  return Number.isNaN(parsed) ? null : new Date(parsed).toISOString();
}
