import { sql } from 'drizzle-orm';
import { index, integer, pgTable, primaryKey, real, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import type { ChannelKind } from '@trendcast/post-text';
import type { AttemptOutcome } from '../domain/channel-error.js';
import type { PostStatus } from '../domain/post-state.js';

// The outbox and inbox tables live in this database too, created by this service's migrations.
export { inboxMessages, outboxMessages } from '@trendcast/outbox/schema';
// So do the tombstones of the users whose data was erased (see src/data/tombstones.ts).
export { erasedUsers } from '@trendcast/database';

export const channelStatuses = ['active', 'needs_reconnection'] as const;
export type ChannelStatus = (typeof channelStatuses)[number];
export type SentimentLabel = 'positive' | 'neutral' | 'negative';

const timestamps = {
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
};

/** One account on one network. Credentials are sealed (AES-256-GCM, bound to the row's id); the key id is kept beside them. */
export const channels = pgTable(
  'channels',
  {
    id: uuid('id').primaryKey(),
    userId: uuid('user_id').notNull(),
    kind: text('kind').$type<ChannelKind>().notNull(),
    name: text('name').notNull(),
    /** Timeline channels: the public handle (lower-case, unique). */
    handle: text('handle'),
    /** Mastodon: the instance's origin. */
    instanceUrl: text('instance_url'),
    /** `@user@instance` as the network names the account. */
    accountName: text('account_name'),
    sealedCredentials: text('sealed_credentials'),
    credentialsKeyId: text('credentials_key_id'),
    status: text('status').$type<ChannelStatus>().notNull().default('active'),
    maxCharacters: integer('max_characters').notNull(),
    linkWeight: integer('link_weight').notNull().default(23),
    /** The network said "wait until": every post of the channel waits (rate limit). */
    pausedUntil: timestamp('paused_until', { withTimezone: true, mode: 'date' }),
    ...timestamps,
  },
  (table) => [
    index('channels_user_created_idx').on(table.userId, table.createdAt, table.id),
    uniqueIndex('channels_handle_unique').on(table.handle).where(sql`${table.kind} = 'timeline'`),
  ],
);

/** Our OAuth client on one Mastodon instance (for one callback address), registered once. */
export const mastodonApps = pgTable(
  'mastodon_apps',
  {
    instanceUrl: text('instance_url').notNull(),
    redirectUri: text('redirect_uri').notNull(),
    clientId: text('client_id').notNull(),
    sealedClientSecret: text('sealed_client_secret').notNull(),
    credentialsKeyId: text('credentials_key_id').notNull(),
    scopes: text('scopes').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.instanceUrl, table.redirectUri] })],
);

export const posts = pgTable(
  'posts',
  {
    id: uuid('id').primaryKey(),
    userId: uuid('user_id').notNull(),
    channelId: uuid('channel_id')
      .notNull()
      .references(() => channels.id, { onDelete: 'cascade' }),
    channelKind: text('channel_kind').$type<ChannelKind>().notNull(),
    text: text('text').notNull(),
    status: text('status').$type<PostStatus>().notNull(),
    publishAt: timestamp('publish_at', { withTimezone: true, mode: 'date' }).notNull(),
    /** The approved draft this post came from (one post per draft and user). */
    draftId: uuid('draft_id'),
    sentimentLabel: text('sentiment_label').$type<SentimentLabel>(),
    sentimentScore: real('sentiment_score'),
    /** Attempts started so far (also the number of the latest attempt). */
    attemptCount: integer('attempt_count').notNull().default(0),
    rateLimitedCount: integer('rate_limited_count').notNull().default(0),
    /** Set while a worker holds the post (publishing); older than the lease means the worker died. */
    claimedAt: timestamp('claimed_at', { withTimezone: true, mode: 'date' }),
    /** Between retries: when the next attempt is due. */
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true, mode: 'date' }),
    /** When the first attempt whose outcome is unknown was sent (the network may hold the post). */
    unknownSince: timestamp('unknown_since', { withTimezone: true, mode: 'date' }),
    publishedAt: timestamp('published_at', { withTimezone: true, mode: 'date' }),
    url: text('url'),
    remoteId: text('remote_id'),
    failureReason: text('failure_reason'),
    /** Carried into the events this post causes. */
    correlationId: text('correlation_id').notNull(),
    ...timestamps,
  },
  (table) => [
    index('posts_user_created_idx').on(table.userId, table.createdAt, table.id),
    uniqueIndex('posts_user_draft_unique').on(table.userId, table.draftId),
    index('posts_due_idx').on(table.publishAt).where(sql`${table.status} in ('scheduled', 'publishing')`),
    index('posts_channel_inflight_idx').on(table.channelId).where(sql`${table.status} = 'publishing'`),
    index('posts_timeline_idx').on(table.publishedAt, table.id).where(sql`${table.status} = 'published' and ${table.channelKind} = 'timeline'`),
    index('posts_channel_published_idx').on(table.channelId, table.publishedAt, table.id).where(sql`${table.status} = 'published'`),
  ],
);

export const postAttempts = pgTable(
  'post_attempts',
  {
    postId: uuid('post_id')
      .notNull()
      .references(() => posts.id, { onDelete: 'cascade' }),
    number: integer('number').notNull(),
    startedAt: timestamp('started_at', { withTimezone: true, mode: 'date' }).notNull(),
    finishedAt: timestamp('finished_at', { withTimezone: true, mode: 'date' }),
    /** Null while the attempt runs (or when its worker died before it ended). */
    outcome: text('outcome').$type<AttemptOutcome>(),
    error: text('error'),
  },
  (table) => [primaryKey({ columns: [table.postId, table.number] })],
);

export type ChannelRow = typeof channels.$inferSelect;
export type PostRow = typeof posts.$inferSelect;
export type AttemptRow = typeof postAttempts.$inferSelect;
export type MastodonAppRow = typeof mastodonApps.$inferSelect;
