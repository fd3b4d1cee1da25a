import { generateRequestSchema, trendSummarySchema } from '@trendcast/events';
import { z } from 'zod';
import { searchStatuses, watchStatuses } from '../db/schema.js';

/**
 * What the main routes answer, as response schemas: the OpenAPI document shows them, and fastify
 * checks every answer against them (a field not listed here never leaves the service).
 */

const timestamp = z.iso.datetime();
const nextCursor = z.string().nullable().describe('Pass as `cursor` for the next page; null on the last');

export const searchAcceptedResponse = z
  .object({ id: z.uuid(), status: z.enum(searchStatuses), statusUrl: z.string().describe('Poll it until status is completed or failed') })
  .describe('Accepted: the search runs in the background (Location names statusUrl too)');

export const searchResponse = z
  .object({
    id: z.uuid(),
    status: z.enum(searchStatuses),
    statusUrl: z.string(),
    keywords: z.array(z.string()),
    geo: z.string().describe('ISO country code, or empty for worldwide'),
    timeframe: z.object({ name: z.string().nullable(), start: timestamp, end: timestamp }),
    category: z.number().int(),
    property: z.string(),
    generate: generateRequestSchema.nullable().describe('Drafts asked for when the search completes'),
    watchId: z.uuid().nullable(),
    attempts: z.number().int(),
    lastError: z.string().nullable(),
    failureReason: z.string().nullable(),
    cached: z.boolean().describe('Answered from a recent identical search'),
    createdAt: timestamp,
    updatedAt: timestamp,
    completedAt: timestamp.nullable(),
  })
  .meta({ id: 'Search' });

export const searchPageResponse = z.object({ items: z.array(searchResponse), nextCursor });

export const searchDetailResponse = searchResponse
  .extend({
    results: z
      .object({
        fetchedAt: timestamp,
        summary: trendSummarySchema,
        interestOverTime: z.unknown().describe("Google Trends' interest over time, per keyword (0–100)"),
        interestByRegion: z.unknown().describe("Google Trends' interest by region, per keyword"),
        relatedQueries: z.array(z.unknown()).describe('Top and rising related queries, per keyword'),
        relatedTopics: z.array(z.unknown()).describe('Top and rising related topics, per keyword'),
      })
      .nullable()
      .describe('What Google answered, once completed'),
  })
  .meta({ id: 'SearchWithResults' });

export const watchResponse = z
  .object({
    id: z.uuid(),
    status: z.enum(watchStatuses),
    keywords: z.array(z.string()),
    geo: z.string(),
    timeframe: z.string(),
    category: z.number().int(),
    property: z.string(),
    every: z.string(),
    timezone: z.string(),
    generate: generateRequestSchema.nullable(),
    lastRunAt: timestamp.nullable(),
    lastSearchId: z.uuid().nullable(),
    nextRunAt: timestamp.nullable().describe('When it runs next; null while paused'),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .meta({ id: 'Watch' });

export const watchPageResponse = z.object({ items: z.array(watchResponse), nextCursor });

const trendingNewsItem = z.object({
  title: z.string(),
  url: z.string(),
  source: z.string().nullable(),
  picture: z.string().nullable(),
  snippet: z.string().nullable(),
});

export const trendingResponse = z.object({
  geo: z.string(),
  fetchedAt: timestamp,
  items: z.array(
    z.object({
      title: z.string(),
      approxTraffic: z.string().describe('As Google words it: "200K+"'),
      approxTrafficMin: z.number().nullable(),
      publishedAt: z.string().nullable(),
      picture: z.object({ url: z.string(), source: z.string().nullable() }).nullable(),
      news: z.array(trendingNewsItem),
    }),
  ),
});
