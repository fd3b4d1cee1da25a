import { sql } from 'drizzle-orm';
import { bigserial, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/**
 * Events waiting to be published (and, for a retention period, those already published).
 * `position` is the publishing order; the partial index keeps the relay's scan cheap however
 * many sent rows the retention keeps.
 *
 * A row whose event is refused (not publishable, nacked, returned) waits for its own next attempt
 * (`next_attempt_at`) while the rows behind it go on; after the relay's `maxRefusals` it is parked
 * (`parked_at`) for an operator, who replays it (replayParkedRows). `attempts` counts every failed
 * publish, `refusals` only those that were the event's own fault.
 *
 * This file imports nothing but drizzle-orm so that drizzle-kit can load it from a service's schema.
 */
export const outboxMessages = pgTable(
  'outbox_messages',
  {
    position: bigserial('position', { mode: 'number' }).primaryKey(),
    eventId: uuid('event_id').notNull().unique('outbox_messages_event_id_unique'),
    type: text('type').notNull(),
    /** The whole event envelope, exactly as it goes on the wire. */
    payload: jsonb('payload').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    sentAt: timestamp('sent_at', { withTimezone: true, mode: 'date' }),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    refusals: integer('refusals').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true, mode: 'date' }),
    parkedAt: timestamp('parked_at', { withTimezone: true, mode: 'date' }),
  },
  (table) => [index('outbox_messages_unsent_idx').on(table.position).where(sql`${table.sentAt} is null`)],
);

/**
 * Event ids a consumer has handled; the primary key makes a redelivery a no-op. The index on
 * `handled_at` lets pruning find old rows without reading the table.
 */
export const inboxMessages = pgTable(
  'inbox_messages',
  {
    consumer: text('consumer').notNull(),
    eventId: uuid('event_id').notNull(),
    handledAt: timestamp('handled_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (table) => [primaryKey({ name: 'inbox_messages_pkey', columns: [table.consumer, table.eventId] }), index('inbox_messages_handled_at_idx').on(table.handledAt)],
);

/** The name PostgreSQL NOTIFY uses to wake relays when a transaction adds to the outbox. */
export const outboxChannel = 'outbox_messages';
