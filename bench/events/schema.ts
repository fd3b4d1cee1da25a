import { pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

// The bench's two services share this schema, each in a database of its own, as a real service would:
// its tables plus the outbox and inbox re-exported from the package.
export { inboxMessages, outboxMessages } from '@trendcast/outbox/schema';

/** The producer's state change: one row per event. */
export const searches = pgTable('searches', {
  id: uuid('id').primaryKey(),
  userId: uuid('user_id').notNull(),
  status: text('status').notNull(),
  reason: text('reason').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

/** The consumer's effect: one row per handled event. */
export const notifications = pgTable('notifications', {
  eventId: uuid('event_id').primaryKey(),
  searchId: uuid('search_id').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});
