import { eq, sql, type SQL } from 'drizzle-orm';
import { pgTable, timestamp, uuid } from 'drizzle-orm/pg-core';

/**
 * One row per person whose data this service erased on `users.user.deleted`. The rule every
 * service that erases follows: after the erasure, nothing more is written for that user. Their
 * access token stays valid for up to its lifetime, and a queued job may still name them, so every
 * write checks here first. A service includes this table in its schema (re-export it beside the
 * outbox tables) so its migrations create it. User ids are random and say nothing about the person.
 */
export const erasedUsers = pgTable('erased_users', {
  userId: uuid('user_id').primaryKey(),
  erasedAt: timestamp('erased_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
});

/** What the helpers need of a drizzle database or transaction. */
interface Executor {
  execute(query: SQL): PromiseLike<unknown>;
}

/** Keeps these locks apart from other advisory locks (two-key form; the outbox relay uses the one-key form). */
const userLockNamespace = 0x75736572; // "user"

/**
 * Serialises one user's writes with each other and with their erasure (a transaction-scoped lock,
 * released at commit). Take it first in the transaction: the statements after it see everything
 * committed before it was granted, so a write cannot slip in beside an erasure.
 */
export async function lockUser(tx: Executor, userId: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(${userLockNamespace}::int4, hashtext(${userId}))`);
}

/** Whether the user's data was erased. In a write, call it after lockUser. */
export async function isUserErased(db: Executor, userId: string): Promise<boolean> {
  const rows = (await db.execute(sql`select 1 from ${erasedUsers} where ${eq(erasedUsers.userId, userId)} limit 1`)) as ArrayLike<unknown>;
  return rows.length > 0;
}

/**
 * Records the erasure under the user's lock, in the transaction that deletes their data: writes
 * that started before it are committed and get deleted with the rest, later ones see the row.
 */
export async function recordUserErased(tx: Executor, userId: string): Promise<void> {
  await lockUser(tx, userId);
  await tx.execute(sql`insert into ${erasedUsers} (user_id) values (${userId}) on conflict (user_id) do nothing`);
}
