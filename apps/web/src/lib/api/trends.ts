import { z } from 'zod';
import { apiRequest, query } from './http.js';
import { pageOf } from './lists.js';

export const searchStatuses = ['queued', 'running', 'completed', 'failed'] as const;
export type SearchStatus = (typeof searchStatuses)[number];

export const timeframes = [
  ['past-hour', 'Past hour'],
  ['past-4-hours', 'Past 4 hours'],
  ['past-day', 'Past day'],
  ['past-7-days', 'Past 7 days'],
  ['past-30-days', 'Past 30 days'],
  ['past-90-days', 'Past 90 days'],
  ['past-12-months', 'Past 12 months'],
  ['past-5-years', 'Past 5 years'],
  ['all-time', 'Since 2004'],
] as const;
export type Timeframe = (typeof timeframes)[number][0];

export const timeframeLabel = (name: string | null) => timeframes.find(([value]) => value === name)?.[1] ?? 'Custom period';

export const properties = [
  ['web', 'Web search'],
  ['news', 'News search'],
  ['images', 'Image search'],
  ['youtube', 'YouTube search'],
  ['froogle', 'Google Shopping'],
] as const;

const generateSchema = z.object({ count: z.number(), tone: z.string(), channel: z.string() });
export type GenerateOptions = z.infer<typeof generateSchema>;

export const searchSchema = z.object({
  id: z.string(),
  status: z.enum(searchStatuses),
  keywords: z.array(z.string()),
  geo: z.string(),
  timeframe: z.object({ name: z.string().nullable(), start: z.string(), end: z.string() }),
  property: z.string(),
  generate: generateSchema.nullable().optional(),
  watchId: z.string().nullable().optional(),
  attempts: z.number(),
  lastError: z.string().nullable().optional(),
  failureReason: z.string().nullable().optional(),
  cached: z.boolean(),
  createdAt: z.string(),
  completedAt: z.string().nullable().optional(),
});
export type Search = z.infer<typeof searchSchema>;

const rankedQuery = z.object({ query: z.string(), value: z.number(), formattedValue: z.string(), link: z.string().nullable() });
const rankedTopic = z.object({ mid: z.string(), title: z.string(), type: z.string(), value: z.number(), formattedValue: z.string() });

export const resultsSchema = z.object({
  fetchedAt: z.string(),
  interestOverTime: z.object({
    keywords: z.array(z.string()),
    points: z.array(z.object({ time: z.string(), formattedTime: z.string(), values: z.array(z.number()), hasData: z.array(z.boolean()), isPartial: z.boolean() })),
    averages: z.array(z.number()).nullable(),
  }),
  interestByRegion: z.object({
    keywords: z.array(z.string()),
    regions: z.array(z.object({ code: z.string(), name: z.string(), values: z.array(z.number()), hasData: z.array(z.boolean()) })),
  }),
  relatedQueries: z.array(z.object({ keyword: z.string(), top: z.array(rankedQuery), rising: z.array(rankedQuery.extend({ breakout: z.boolean() })) })),
  relatedTopics: z.array(z.object({ keyword: z.string(), top: z.array(rankedTopic), rising: z.array(rankedTopic.extend({ breakout: z.boolean() })) })),
});
export type TrendResults = z.infer<typeof resultsSchema>;

export const searchDetailSchema = searchSchema.extend({ results: resultsSchema.nullable() });
export type SearchDetail = z.infer<typeof searchDetailSchema>;

export const watchSchema = z.object({
  id: z.string(),
  status: z.enum(['active', 'paused']),
  keywords: z.array(z.string()),
  geo: z.string(),
  timeframe: z.string(),
  property: z.string(),
  every: z.string(),
  timezone: z.string(),
  generate: generateSchema.nullable().optional(),
  lastRunAt: z.string().nullable(),
  lastSearchId: z.string().nullable(),
  nextRunAt: z.string().nullable(),
  createdAt: z.string(),
});
export type Watch = z.infer<typeof watchSchema>;

const startedSchema = z.object({ id: z.string(), status: z.enum(searchStatuses) });

export interface SearchRequest {
  keywords: string[];
  geo: string;
  timeframe: Timeframe;
  property: string;
  generate?: GenerateOptions;
}

export interface WatchRequest extends SearchRequest {
  every: string;
  timezone: string;
}

export const trendsApi = {
  startSearch: (request: SearchRequest) => apiRequest('/trends/searches', startedSchema, { method: 'POST', body: request }),
  searches: (o: { cursor?: string | null; signal?: AbortSignal } = {}) =>
    apiRequest(`/trends/searches${query({ limit: 20, cursor: o.cursor })}`, pageOf(searchSchema), o.signal ? { signal: o.signal } : {}),
  search: (id: string, signal?: AbortSignal) =>
    apiRequest(`/trends/searches/${encodeURIComponent(id)}`, searchDetailSchema, signal ? { signal } : {}),
  deleteSearch: (id: string) => apiRequest(`/trends/searches/${encodeURIComponent(id)}`, null, { method: 'DELETE' }),
  watches: (o: { cursor?: string | null; signal?: AbortSignal } = {}) =>
    apiRequest(`/trends/watches${query({ limit: 50, cursor: o.cursor })}`, pageOf(watchSchema), o.signal ? { signal: o.signal } : {}),
  createWatch: (request: WatchRequest) => apiRequest('/trends/watches', watchSchema, { method: 'POST', body: request }),
  pauseWatch: (id: string) => apiRequest(`/trends/watches/${encodeURIComponent(id)}/pause`, watchSchema, { method: 'POST' }),
  resumeWatch: (id: string) => apiRequest(`/trends/watches/${encodeURIComponent(id)}/resume`, watchSchema, { method: 'POST' }),
  deleteWatch: (id: string) => apiRequest(`/trends/watches/${encodeURIComponent(id)}`, null, { method: 'DELETE' }),
};
