import { sql } from 'drizzle-orm';
import {
  bigserial,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import type { NotificationPreferences } from '@trendcast/events';

// The outbox tables live in this database too, so this service's migrations create them.
export { outboxMessages, inboxMessages } from '@trendcast/outbox/schema';

const timestamptz = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const userRole = pgEnum('user_role', ['user', 'admin']);

export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** Stored normalised (trimmed, lower case), so the unique index is case-insensitive. */
    email: text('email').notNull(),
    displayName: text('display_name').notNull(),
    passwordHash: text('password_hash').notNull(),
    role: userRole('role').notNull().default('user'),
    emailVerifiedAt: timestamptz('email_verified_at'),
    notificationPreferences: jsonb('notification_preferences').$type<NotificationPreferences>().notNull(),
    passwordChangedAt: timestamptz('password_changed_at').notNull().defaultNow(),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
    updatedAt: timestamptz('updated_at').notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex('users_email_unique').on(table.email),
    // Keyset pagination of the admin listing.
    index('users_created_at_id_idx').on(table.createdAt, table.id),
  ],
);

/**
 * Refresh tokens, stored as SHA-256 hashes. Every login starts a family; each refresh spends one
 * token and issues its successor in the same family, so a spent token coming back means a copy
 * leaked and the whole family is revoked.
 */
export const refreshTokens = pgTable(
  'refresh_tokens',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    familyId: uuid('family_id').notNull(),
    tokenHash: text('token_hash').notNull(),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
    expiresAt: timestamptz('expires_at').notNull(),
    /** The family's absolute end: rotation never extends a session past it. */
    familyExpiresAt: timestamptz('family_expires_at').notNull(),
    spentAt: timestamptz('spent_at'),
    revokedAt: timestamptz('revoked_at'),
  },
  (table) => [
    uniqueIndex('refresh_tokens_token_hash_unique').on(table.tokenHash),
    index('refresh_tokens_family_idx').on(table.familyId),
    index('refresh_tokens_user_idx').on(table.userId),
  ],
);

export const oneTimeTokenPurpose = pgEnum('one_time_token_purpose', ['verify_email', 'reset_password']);

/** Email verification and password reset tokens, stored as SHA-256 hashes, single use, expiring. */
export const oneTimeTokens = pgTable(
  'one_time_tokens',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    purpose: oneTimeTokenPurpose('purpose').notNull(),
    tokenHash: text('token_hash').notNull(),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
    expiresAt: timestamptz('expires_at').notNull(),
    usedAt: timestamptz('used_at'),
  },
  (table) => [
    uniqueIndex('one_time_tokens_token_hash_unique').on(table.tokenHash),
    index('one_time_tokens_user_purpose_idx').on(table.userId, table.purpose),
  ],
);

/**
 * Failed sign-in attempts, one row per failure and per throttling scope (an account's email,
 * a client address). Counting the rows younger than the window gives a sliding window.
 */
export const authFailures = pgTable(
  'auth_failures',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    scope: text('scope').notNull(),
    key: text('key').notNull(),
    failedAt: timestamptz('failed_at').notNull().default(sql`now()`),
  },
  (table) => [
    index('auth_failures_scope_key_failed_at_idx').on(table.scope, table.key, table.failedAt),
    // Pruning rows older than the window, whatever their key.
    index('auth_failures_failed_at_idx').on(table.failedAt),
  ],
);

/**
 * "Send me a reset / verification link" requests, answered later by the email-link worker. The
 * request path writes one row whether or not the account exists, so its timing tells nothing;
 * the worker looks the account up and issues the link. Rows go once handled.
 */
export const emailLinkRequests = pgTable(
  'email_link_requests',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    purpose: oneTimeTokenPurpose('purpose').notNull(),
    /** As typed by the requester (normalised); it may belong to no account. */
    email: text('email').notNull(),
    correlationId: text('correlation_id').notNull(),
    requestedAt: timestamptz('requested_at').notNull().defaultNow(),
    attempts: integer('attempts').notNull().default(0),
    /** Retried after a failure no sooner than this. */
    availableAt: timestamptz('available_at').notNull().defaultNow(),
  },
  (table) => [index('email_link_requests_available_idx').on(table.availableAt, table.id)],
);

export type UserRow = typeof users.$inferSelect;
export type RefreshTokenRow = typeof refreshTokens.$inferSelect;
export type OneTimeTokenRow = typeof oneTimeTokens.$inferSelect;
export type Role = (typeof userRole.enumValues)[number];
export type OneTimeTokenPurpose = (typeof oneTimeTokenPurpose.enumValues)[number];
