import { isUserErased, lockUser, recordUserErased } from '@trendcast/database';
import type { TweeterExecutor, TweeterTransaction } from '../db/client.js';

/**
 * The tombstones of users whose data was erased (`erased_users`, from @trendcast/database), and
 * the per-user lock that keeps a user's writes from interleaving with their erasure.
 */

/**
 * First statement of every transaction that writes for a user: serialises the user's writes with
 * one another and with the erasure, so what follows sees everything committed before it.
 */
export function lockUserWrites(tx: TweeterTransaction, userId: string): Promise<void> {
  return lockUser(tx, userId);
}

/** Whether the user's data was erased; in a write, ask after lockUserWrites. */
export function isErased(db: TweeterExecutor, userId: string): Promise<boolean> {
  return isUserErased(db, userId);
}

/** Inside the erasure's transaction, before its deletes (takes the user's lock itself). */
export function recordErasure(tx: TweeterTransaction, userId: string): Promise<void> {
  return recordUserErased(tx, userId);
}
