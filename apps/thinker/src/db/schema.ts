import { sql } from 'drizzle-orm';
import { boolean, index, integer, jsonb, pgTable, real, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import type { TrendSummary } from '@trendcast/events';
import type { ChannelKind } from '@trendcast/post-text';
import type { DraftSource, Tone } from '../domain/generation-request.js';
import type { SentimentLabel } from '../sentiment/sentiment-scorer.js';

// The outbox and inbox tables live in this database too, created by this service's migrations.
export { inboxMessages, outboxMessages } from '@trendcast/outbox/schema';
// So do the tombstones of the users whose data was erased (see src/data/tombstones.ts).
export { erasedUsers } from '@trendcast/database';

export const generationStatuses = ['queued', 'running', 'completed', 'failed'] as const;
export type GenerationStatus = (typeof generationStatuses)[number];
export const draftStatuses = ['draft', 'approved', 'published', 'rejected'] as const;
export type DraftStatus = (typeof draftStatuses)[number];

const timestamps = {
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
};

/** The finished Trends searches of each user (from trends.search.completed), so a generation can be asked for one later. */
export const trendSearches = pgTable(
  'trend_searches',
  {
    searchId: uuid('search_id').primaryKey(),
    userId: uuid('user_id').notNull(),
    keywords: jsonb('keywords').$type<string[]>().notNull(),
    geo: text('geo').notNull(),
    summary: jsonb('summary').$type<TrendSummary>().notNull(),
    completedAt: timestamp('completed_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (table) => [index('trend_searches_user_idx').on(table.userId)],
);

export const generations = pgTable(
  'generations',
  {
    id: uuid('id').primaryKey(),
    userId: uuid('user_id').notNull(),
    /** The Trends search the drafts are written from (absent for a typed topic). */
    searchId: uuid('search_id'),
    topic: text('topic'),
    /** What the engine is given: the search's keywords, region and summary, or the topic. */
    source: jsonb('source').$type<DraftSource>().notNull(),
    count: integer('count').notNull(),
    tone: text('tone').$type<Tone>().notNull(),
    channel: text('channel').$type<ChannelKind>().notNull(),
    language: text('language'),
    status: text('status').$type<GenerationStatus>().notNull(),
    /** Why it failed, for a person to read. */
    reason: text('reason'),
    failureCode: text('failure_code'),
    /** The model that wrote the drafts, or "offline". */
    model: text('model'),
    /** Set when the model failed and the drafts were written offline instead. */
    fallbackReason: text('fallback_reason'),
    attempts: integer('attempts').notNull().default(0),
    /** Makes an event-started generation idempotent: `search:<searchId>` for trends.search.completed. */
    triggerKey: text('trigger_key'),
    /** Carried into the events this generation causes. */
    correlationId: text('correlation_id').notNull(),
    startedAt: timestamp('started_at', { withTimezone: true, mode: 'date' }),
    completedAt: timestamp('completed_at', { withTimezone: true, mode: 'date' }),
    ...timestamps,
  },
  (table) => [
    index('generations_user_created_idx').on(table.userId, table.createdAt, table.id),
    index('generations_pending_idx').on(table.updatedAt).where(sql`${table.status} in ('queued', 'running')`),
    uniqueIndex('generations_trigger_key_unique').on(table.triggerKey),
  ],
);

export const drafts = pgTable(
  'drafts',
  {
    id: uuid('id').primaryKey(),
    generationId: uuid('generation_id')
      .notNull()
      .references(() => generations.id, { onDelete: 'cascade' }),
    userId: uuid('user_id').notNull(),
    /** Order within its generation. */
    position: integer('position').notNull(),
    text: text('text').notNull(),
    channel: text('channel').$type<ChannelKind>().notNull(),
    model: text('model').notNull(),
    /** Cut to the channel's limit by the service (the model's rewrite was still too long). */
    shortened: boolean('shortened').notNull().default(false),
    status: text('status').$type<DraftStatus>().notNull(),
    sentimentLabel: text('sentiment_label').$type<SentimentLabel>().notNull(),
    sentimentScore: real('sentiment_score').notNull(),
    sentimentConfidence: real('sentiment_confidence').notNull(),
    sentimentModel: text('sentiment_model').notNull(),
    channelId: uuid('channel_id'),
    publishAt: timestamp('publish_at', { withTimezone: true, mode: 'date' }),
    publishedUrl: text('published_url'),
    publishedAt: timestamp('published_at', { withTimezone: true, mode: 'date' }),
    ...timestamps,
  },
  (table) => [
    index('drafts_user_created_idx').on(table.userId, table.createdAt, table.id),
    index('drafts_generation_idx').on(table.generationId, table.position),
  ],
);

export type TrendSearchRow = typeof trendSearches.$inferSelect;
export type GenerationRow = typeof generations.$inferSelect;
export type DraftRow = typeof drafts.$inferSelect;
