import { trendSummarySchema } from '@trendcast/events';
import { describe, expect, it } from 'vitest';
import { cacheKeyOf } from '../src/domain/cache-key.js';
import { parseSchedule, ScheduleError } from '../src/domain/schedule.js';
import { toSearchSpec } from '../src/domain/search-request.js';
import { summarize } from '../src/domain/summarize.js';
import { resolveTimeframe } from '../src/domain/timeframe.js';
import {
  parseInterestByRegion,
  parseInterestOverTime,
  parseRelatedQueries,
  parseRelatedTopics,
} from '../src/integrations/google/parsers.js';
import { retryDelayMs } from '../src/workers/retry-delay.js';
import { fixture } from './fake-google/recordings.js';

const now = new Date('2026-02-03T12:00:00Z');

describe('retry delays', () => {
  it('when attempts pile up, then the delay doubles between half and all of base·2^(n-1), capped', () => {
    const options = { baseMs: 1_000, maxMs: 10_000 };

    expect(retryDelayMs(1, options, undefined, () => 0)).toBe(500);
    expect(retryDelayMs(1, options, undefined, () => 1)).toBe(1_000);
    expect(retryDelayMs(3, options, undefined, () => 1)).toBe(4_000);
    expect(retryDelayMs(10, options, undefined, () => 1)).toBe(10_000);
  });

  it("when Google sent Retry-After, then the retry never comes sooner", () => {
    expect(retryDelayMs(1, { baseMs: 1_000, maxMs: 10_000 }, 30_000, () => 0.5)).toBe(30_000);
  });
});

describe('schedules', () => {
  it('when every is an interval, then it is read in s, m, h and d', () => {
    expect(parseSchedule('90s', 1_000)).toEqual({ kind: 'interval', everyMs: 90_000 });
    expect(parseSchedule('6h', 1_000)).toEqual({ kind: 'interval', everyMs: 21_600_000 });
  });

  it('when every is a cron pattern, then it keeps its time zone', () => {
    expect(parseSchedule('0 9 * * 1-5', 60_000, 'Europe/Paris')).toEqual({ kind: 'cron', pattern: '0 9 * * 1-5', timezone: 'Europe/Paris' });
  });

  it('when a schedule fires more often than allowed, then it is refused, cron included', () => {
    expect(() => parseSchedule('5m', 15 * 60_000)).toThrow(ScheduleError);
    expect(() => parseSchedule('*/5 * * * *', 15 * 60_000)).toThrow(/at least 15 min apart/);
    expect(() => parseSchedule('not a schedule', 1_000)).toThrow(ScheduleError);
  });
});

describe('timeframes and the cache key', () => {
  it('when a named timeframe is resolved, then it ends now and starts that far back', () => {
    expect(resolveTimeframe('past-7-days', now).startTime.toISOString()).toBe('2026-01-27T12:00:00.000Z');
    expect(resolveTimeframe('past-5-years', now).startTime.toISOString()).toBe('2021-02-03T12:00:00.000Z');
    expect(resolveTimeframe('all-time', now).startTime.toISOString()).toBe('2004-01-01T00:00:00.000Z');
  });

  it('when the same question is asked with keywords in another order or case, or later, then the key is the same', () => {
    const base = { geo: 'US', category: 0, property: 'web' as const, timeframe: 'past-7-days' as const };
    const first = toSearchSpec({ ...base, keywords: ['Pizza', 'bagel'] }, now);
    const later = toSearchSpec({ ...base, keywords: ['bagel', 'pizza'] }, new Date(now.getTime() + 600_000));

    expect(cacheKeyOf(later)).toBe(cacheKeyOf(first));
    expect(cacheKeyOf(toSearchSpec({ ...base, keywords: ['pizza'], geo: 'GB' }, now))).not.toBe(cacheKeyOf(first));
    expect(cacheKeyOf(toSearchSpec({ ...base, keywords: ['pizza', 'bagel'], property: 'news' }, now))).not.toBe(cacheKeyOf(first));
  });
});

describe('the summary announced with trends.search.completed', () => {
  it('when built from the recorded answers, then it holds peaks, averages, queries and regions within the contract', () => {
    const keywords = ['pizza', 'bagel'];
    const summary = summarize(
      {
        interestOverTime: parseInterestOverTime(fixture('widgetdata_multiline_partial.body'), keywords),
        interestByRegion: parseInterestByRegion(fixture('widgetdata_comparedgeo_pizza_bagel.body'), keywords),
        relatedQueries: [
          parseRelatedQueries(fixture('widgetdata_relatedsearches_QUERY_pizza.body'), 'pizza'),
          parseRelatedQueries(fixture('widgetdata_relatedsearches_QUERY_bagel.body'), 'bagel'),
        ],
        relatedTopics: [parseRelatedTopics(fixture('widgetdata_relatedsearches_ENTITY_pizza.body'), 'pizza')],
      },
      { startTime: new Date('2018-03-26T00:00:00Z'), endTime: new Date('2023-03-26T00:00:00Z') },
    );

    expect(trendSummarySchema.safeParse(summary).success).toBe(true);
    expect(summary.peaks.filter((peak) => peak.keyword === 'pizza')[0]?.value).toBe(100);
    expect(summary.averages).toEqual([{ keyword: 'pizza', value: 77 }, { keyword: 'bagel', value: 2 }]);
    expect(summary.risingQueries.filter((q) => q.keyword === 'pizza')).toHaveLength(10);
    expect(summary.topQueries[0]).toEqual({ keyword: 'pizza', query: 'pizza hut', value: 100 });
    expect(summary.topRegions).toHaveLength(10);
    expect(summary.topRegions[0]?.value).toBeGreaterThanOrEqual(summary.topRegions[9]?.value ?? 0);
  });
});
