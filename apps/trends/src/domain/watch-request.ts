import { generateRequestSchema } from '@trendcast/events';
import { safeText, withSafeText } from '@trendcast/service-kit';
import { z } from 'zod';
import { geoSchema } from './geo.js';
import { isKnownTimezone, parseSchedule, ScheduleError } from './schedule.js';
import { categorySchema, keywordsSchema, propertySchema, timeframeSchema } from './search-request.js';

/** POST /trends/watches; `every` is checked against the shortest interval this deployment allows. */
export function watchRequestSchema(minIntervalMs: number) {
  return z
    .strictObject({
      keywords: keywordsSchema,
      geo: geoSchema.default(''),
      /** The period each run looks at, ending when the run starts. */
      timeframe: timeframeSchema.default('past-7-days'),
      category: categorySchema.default(0),
      property: propertySchema.default('web'),
      every: safeText().trim().min(1).max(100),
      timezone: safeText().trim().max(64).refine(isKnownTimezone, { error: 'is not a known IANA time zone' }).default('UTC'),
      generate: withSafeText(generateRequestSchema.strict()).optional(),
    })
    .superRefine((request, ctx) => {
      try {
        parseSchedule(request.every, minIntervalMs, isKnownTimezone(request.timezone) ? request.timezone : 'UTC');
      } catch (error) {
        if (!(error instanceof ScheduleError)) throw error;
        ctx.addIssue({ code: 'custom', path: ['every'], message: error.message });
      }
    });
}
export type WatchRequest = z.output<ReturnType<typeof watchRequestSchema>>;
