import { isUserErased, lockUser, recordUserErased } from '@trendcast/database';
import { HttpError } from '@trendcast/service-kit';
import { eq } from 'drizzle-orm';
import type { TrendsDatabase } from '../db/client.js';
import { searches, watches } from '../db/schema.js';

type Transaction = Parameters<Parameters<TrendsDatabase['transaction']>[0]>[0];
type Executor = TrendsDatabase | Transaction;

/** The answer to a write from someone whose account was deleted (their access token may live on for minutes). */
export function accountDeleted(): HttpError {
  return new HttpError(403, 'ACCOUNT_DELETED', 'This account has been deleted');
}

/**
 * First statement of every transaction that writes for a user: takes the user's lock (so writes
 * and the erasure never interleave) and refuses the write when the user's data was erased.
 */
export async function guardUserWrites(tx: Transaction, userId: string): Promise<void> {
  await lockUser(tx, userId);
  if (await isUserErased(tx, userId)) throw accountDeleted();
}

export function isErased(db: Executor, userId: string): Promise<boolean> {
  return isUserErased(db, userId);
}

/** Inside the erasure's transaction, before its deletes. */
export function recordErasure(tx: Transaction, userId: string): Promise<void> {
  return recordUserErased(tx, userId);
}

/** Deletes what a job found of an erased user (a row that escaped the erasure): the search, or the watch. */
export async function eraseLeftovers(db: Executor, found: { searchId?: string; watchId?: string }): Promise<void> {
  if (found.searchId) await db.delete(searches).where(eq(searches.id, found.searchId));
  if (found.watchId) await db.delete(watches).where(eq(watches.id, found.watchId));
}
