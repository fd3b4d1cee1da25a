import { generateRequestSchema } from '@trendcast/events';
import { safeText, withSafeText } from '@trendcast/service-kit';
import { z } from 'zod';
import { searchProperties, type SearchProperty, type TrendsQuery } from '../integrations/google/trends-query.js';
import { geoSchema } from './geo.js';
import { defaultTimeframe, earliestTrendsData, namedTimeframes, resolveTimeframe, type NamedTimeframe } from './timeframe.js';

/** Google compares at most five keywords at once. */
export const maxKeywords = 5;

export const keywordsSchema = z
  .array(
    safeText()
      .max(100, 'a keyword is at most 100 characters')
      .transform((keyword) => keyword.trim().replace(/\s+/g, ' '))
      .pipe(z.string().min(1, 'a keyword cannot be blank')),
  )
  .min(1, 'give at least one keyword')
  .max(maxKeywords, `Google Trends compares at most ${maxKeywords} keywords`)
  .refine((keywords) => new Set(keywords.map((k) => k.toLowerCase())).size === keywords.length, {
    error: 'keywords must differ from each other',
  });

export const timeframeSchema = z.enum(namedTimeframes);
export const propertySchema = z.enum(searchProperties);
/** Google's category ids are small positive numbers; 0 is all categories. */
export const categorySchema = z.number().int().min(0).max(100_000);

const dateTime = z.union([z.iso.datetime({ offset: true }), z.iso.date()]);

export const searchRequestSchema = z
  .strictObject({
    keywords: keywordsSchema,
    geo: geoSchema.default(''),
    timeframe: timeframeSchema.optional(),
    startTime: dateTime.optional(),
    endTime: dateTime.optional(),
    category: categorySchema.default(0),
    property: propertySchema.default('web'),
    generate: withSafeText(generateRequestSchema.strict()).optional(),
  })
  .superRefine((request, ctx) => {
    if (request.timeframe && (request.startTime || request.endTime)) {
      ctx.addIssue({ code: 'custom', path: ['timeframe'], message: 'give either a timeframe or startTime/endTime, not both' });
    }
    if (request.endTime && !request.startTime) {
      ctx.addIssue({ code: 'custom', path: ['startTime'], message: 'endTime needs a startTime' });
    }
    const start = request.startTime ? new Date(request.startTime) : undefined;
    const end = request.endTime ? new Date(request.endTime) : new Date();
    if (start && start < earliestTrendsData) {
      ctx.addIssue({ code: 'custom', path: ['startTime'], message: 'Google Trends has no data before 2004-01-01' });
    }
    if (start && end.getTime() <= start.getTime()) {
      ctx.addIssue({ code: 'custom', path: ['endTime'], message: 'endTime must be after startTime' });
    }
    if (end.getTime() > Date.now() + 24 * 3_600_000) {
      ctx.addIssue({ code: 'custom', path: ['endTime'], message: 'endTime cannot be in the future' });
    }
  });
export type SearchRequest = z.output<typeof searchRequestSchema>;

/** What a search asks Google, fixed when the search is made. */
export interface SearchSpec {
  query: TrendsQuery;
  /** Set when the period was named ("past-7-days"): the cache matches on the name, not the instant. */
  timeframe: NamedTimeframe | null;
}

export function toSearchSpec(
  request: { keywords: string[]; geo: string; timeframe?: NamedTimeframe | undefined; startTime?: string | undefined; endTime?: string | undefined; category: number; property: SearchProperty },
  now: Date,
): SearchSpec {
  const explicit = request.startTime !== undefined;
  const timeframe = explicit ? null : (request.timeframe ?? defaultTimeframe);
  const period = timeframe
    ? resolveTimeframe(timeframe, now)
    : { startTime: new Date(request.startTime as string), endTime: request.endTime ? new Date(request.endTime) : now };
  return {
    timeframe,
    query: {
      keywords: request.keywords,
      geo: request.geo,
      startTime: period.startTime,
      endTime: period.endTime,
      category: request.category,
      property: request.property,
    },
  };
}
