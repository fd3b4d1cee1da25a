import type { RequestGate } from './request-gate.js';
import { parseTrendingRss, TrendingFeedError, type TrendingSearch } from './parse-trending-rss.js';

export interface TrendingFeedOptions {
  /** Where the feed lives: https://trends.google.com, or a local stand-in. */
  origin: URL;
  gate: RequestGate;
  timeoutMs: number;
  /** Longest a request for the feed waits for its turn at the gate. */
  maxWaitMs: number;
}

/**
 * Google's public "trending now" RSS feed. google-trends-api's dailyTrends and realTimeTrends call
 * endpoints Google has retired, so the feed is read directly.
 */
export class TrendingFeed {
  constructor(private readonly options: TrendingFeedOptions) {}

  async fetch(geo: string): Promise<TrendingSearch[]> {
    const url = new URL('/trending/rss', this.options.origin);
    url.searchParams.set('geo', geo);
    const xml = await this.options.gate.run(
      async () => {
        let response: Response;
        try {
          response = await fetch(url, {
            headers: { accept: 'application/rss+xml, application/xml;q=0.9, */*;q=0.1' },
            signal: AbortSignal.timeout(this.options.timeoutMs),
          });
        } catch (error) {
          throw new TrendingFeedError(`Could not reach Google's trending feed (${(error as Error).message})`);
        }
        const body = await response.text();
        if (response.status === 429) throw new TrendingFeedError("Google's trending feed answered 429 Too Many Requests");
        if (!response.ok) throw new TrendingFeedError(`Google's trending feed answered ${response.status} for geo ${geo}`);
        return body;
      },
      { maxWaitMs: this.options.maxWaitMs },
    );
    return parseTrendingRss(xml);
  }
}
