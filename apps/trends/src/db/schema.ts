import { sql } from 'drizzle-orm';
import { index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import type { GenerateRequest, TrendSummary } from '@trendcast/events';
import type { InterestByRegion, InterestOverTime, RelatedQueries, RelatedTopics } from '../integrations/google/trend-data.js';

// The outbox and inbox tables live in this database too, created by this service's migrations.
export { inboxMessages, outboxMessages } from '@trendcast/outbox/schema';
// So do the tombstones of the users whose data was erased (see src/data/tombstones.ts).
export { erasedUsers } from '@trendcast/database';

export const searchStatuses = ['queued', 'running', 'completed', 'failed'] as const;
export type SearchStatus = (typeof searchStatuses)[number];
export const watchStatuses = ['active', 'paused'] as const;
export type WatchStatus = (typeof watchStatuses)[number];

const timestamps = {
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
};

/** Repeats a search on a schedule (a BullMQ job scheduler per active watch, rebuilt from here on start). */
export const watches = pgTable(
  'watches',
  {
    id: uuid('id').primaryKey(),
    userId: uuid('user_id').notNull(),
    keywords: jsonb('keywords').$type<string[]>().notNull(),
    geo: text('geo').notNull(),
    timeframe: text('timeframe').notNull(),
    category: integer('category').notNull(),
    property: text('property').notNull(),
    /** As the user wrote it: "6h" or "0 9 * * 1-5". */
    every: text('every').notNull(),
    timezone: text('timezone').notNull(),
    generate: jsonb('generate').$type<GenerateRequest>(),
    status: text('status').$type<WatchStatus>().notNull(),
    lastRunAt: timestamp('last_run_at', { withTimezone: true, mode: 'date' }),
    lastSearchId: uuid('last_search_id'),
    ...timestamps,
  },
  (table) => [index('watches_user_created_idx').on(table.userId, table.createdAt, table.id), index('watches_status_idx').on(table.status)],
);

export const searches = pgTable(
  'searches',
  {
    id: uuid('id').primaryKey(),
    userId: uuid('user_id').notNull(),
    watchId: uuid('watch_id').references(() => watches.id, { onDelete: 'set null' }),
    keywords: jsonb('keywords').$type<string[]>().notNull(),
    geo: text('geo').notNull(),
    /** The named timeframe asked for, or null when startTime/endTime were given. */
    timeframe: text('timeframe'),
    startTime: timestamp('start_time', { withTimezone: true, mode: 'date' }).notNull(),
    endTime: timestamp('end_time', { withTimezone: true, mode: 'date' }).notNull(),
    category: integer('category').notNull(),
    property: text('property').notNull(),
    generate: jsonb('generate').$type<GenerateRequest>(),
    /** Same key, same question to Google: see cacheKeyOf. */
    cacheKey: text('cache_key').notNull(),
    status: text('status').$type<SearchStatus>().notNull(),
    /** Attempts at asking Google so far. */
    attempts: integer('attempts').notNull().default(0),
    /** Why the last attempt failed (while retrying) or why the search failed. */
    lastError: text('last_error'),
    failureReason: text('failure_reason'),
    /** The earlier search whose stored result answered this one, when the cache did. */
    cachedFrom: uuid('cached_from'),
    /** Makes a watch run idempotent: the scheduler's job id of the run that created this search. */
    triggerKey: text('trigger_key'),
    /** Carried into the events this search causes. */
    correlationId: text('correlation_id').notNull(),
    startedAt: timestamp('started_at', { withTimezone: true, mode: 'date' }),
    completedAt: timestamp('completed_at', { withTimezone: true, mode: 'date' }),
    ...timestamps,
  },
  (table) => [
    index('searches_user_created_idx').on(table.userId, table.createdAt, table.id),
    index('searches_cache_idx').on(table.cacheKey, table.completedAt).where(sql`${table.status} = 'completed'`),
    index('searches_pending_idx').on(table.updatedAt).where(sql`${table.status} in ('queued', 'running')`),
    uniqueIndex('searches_trigger_key_unique').on(table.triggerKey),
  ],
);

/** What Google answered for a search, validated and typed (see src/integrations/google/trend-data.ts). */
export const searchResults = pgTable('search_results', {
  searchId: uuid('search_id')
    .primaryKey()
    .references(() => searches.id, { onDelete: 'cascade' }),
  interestOverTime: jsonb('interest_over_time').$type<InterestOverTime>().notNull(),
  interestByRegion: jsonb('interest_by_region').$type<InterestByRegion>().notNull(),
  relatedQueries: jsonb('related_queries').$type<RelatedQueries[]>().notNull(),
  relatedTopics: jsonb('related_topics').$type<RelatedTopics[]>().notNull(),
  summary: jsonb('summary').$type<TrendSummary>().notNull(),
  /** When Google was asked; for a cached answer, when the original search asked. */
  fetchedAt: timestamp('fetched_at', { withTimezone: true, mode: 'date' }).notNull(),
});

export type SearchRow = typeof searches.$inferSelect;
export type SearchResultRow = typeof searchResults.$inferSelect;
export type WatchRow = typeof watches.$inferSelect;
