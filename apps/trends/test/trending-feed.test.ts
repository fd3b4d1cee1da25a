import { describe, expect, it } from 'vitest';
import { parseTrendingRss, trafficLowerBound, TrendingFeedError } from '../src/integrations/google/parse-trending-rss.js';
import { fixture } from './fake-google/recordings.js';

describe('parsing the trending RSS feed', () => {
  it('when the feed has items with ht: fields and news, then each becomes a typed trending search', () => {
    const items = parseTrendingRss(fixture('trending_rss_US.xml'));

    expect(items).toHaveLength(5);
    expect(items[0]).toMatchObject({
      title: 'eclipse',
      approxTraffic: '500K+',
      approxTrafficMin: 500_000,
      publishedAt: '2026-02-03T01:10:00.000Z',
      picture: { source: 'Space.com' },
    });
    expect(items[0]?.news).toHaveLength(3);
    expect(items[0]?.news[1]).toMatchObject({
      title: 'How to watch the eclipse safely with "pinhole" projectors',
      source: 'NPR',
      snippet: null,
    });
  });

  it('when a trend has a single news item or accented text, then it is still a list and the text is intact', () => {
    const items = parseTrendingRss(fixture('trending_rss_US.xml'));

    expect(items[2]?.news).toHaveLength(1);
    expect(items[2]?.news[0]?.source).toBe('Food & Wine');
    expect(items[3]?.title).toBe('école de musique');
  });

  it('when a title looks like a number, then it stays text', () => {
    const xml = fixture('trending_rss_US.xml').replace('<title>eclipse</title>', '<title>1917</title>');

    expect(parseTrendingRss(xml)[0]?.title).toBe('1917');
  });

  it('when the feed is an HTML page or broken XML, then it is refused with a reason', () => {
    expect(() => parseTrendingRss(fixture('error_404_explore_page.html'))).toThrow(TrendingFeedError);
    expect(() => parseTrendingRss('<?xml version="1.0"?><rss><channel><item><title>x</title>')).toThrow(TrendingFeedError);
  });

  it('when traffic is worded by Google, then its lower bound is read', () => {
    expect(trafficLowerBound('2M+')).toBe(2_000_000);
    expect(trafficLowerBound('1,000+')).toBe(1000);
    expect(trafficLowerBound('lots')).toBeNull();
  });
});
