import { sql } from 'drizzle-orm';
import { bigserial, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/**
 * Events waiting to be published (and, for a retention period, those already published).
 * `position` is the publishing order; the partial index keeps the relay's scan cheap however
 * many sent rows the retention keeps.
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
  },
  (table) => [index('outbox_messages_unsent_idx').on(table.position).where(sql`${table.sentAt} is null`)],
);

/** Event ids a consumer has handled; the primary key makes a redelivery a no-op. */
export const inboxMessages = pgTable(
  'inbox_messages',
  {
    consumer: text('consumer').notNull(),
    eventId: uuid('event_id').notNull(),
    handledAt: timestamp('handled_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (table) => [primaryKey({ name: 'inbox_messages_pkey', columns: [table.consumer, table.eventId] })],
);

/** The name PostgreSQL NOTIFY uses to wake relays when a transaction adds to the outbox. */
export const outboxChannel = 'outbox_messages';
