import { z } from 'zod';
import { defineEvent } from '../define-event.js';
import { generateRequestSchema, isoDateTime, userId } from './shared.js';

const keyword = z.string().min(1).max(100);

/** The compact digest of a search that a model can be prompted with. */
export const trendSummarySchema = z.object({
  timeframe: z.object({ start: isoDateTime, end: isoDateTime }),
  peaks: z.array(z.object({ keyword, date: isoDateTime, value: z.number().min(0).max(100) })).max(20),
  averages: z.array(z.object({ keyword, value: z.number().min(0).max(100) })).max(5),
  risingQueries: z.array(z.object({ keyword, query: z.string().max(200), value: z.string().max(50) })).max(50),
  topQueries: z.array(z.object({ keyword, query: z.string().max(200), value: z.number() })).max(50),
  topRegions: z.array(z.object({ name: z.string().max(100), code: z.string().max(20), value: z.number() })).max(20),
});
export type TrendSummary = z.infer<typeof trendSummarySchema>;

export const searchCompleted = defineEvent('trends.search.completed', 1, z.object({
  searchId: z.uuid(),
  userId,
  watchId: z.uuid().optional(),
  keywords: z.array(keyword).min(1).max(5),
  geo: z.string().max(20),
  summary: trendSummarySchema,
  generate: generateRequestSchema.optional(),
}));

export const searchFailed = defineEvent('trends.search.failed', 1, z.object({
  searchId: z.uuid(),
  userId,
  watchId: z.uuid().optional(),
  keywords: z.array(keyword).min(1).max(5),
  reason: z.string().min(1).max(1000),
}));
