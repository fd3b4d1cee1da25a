import { isErased, lockUserWrites } from '../data/tombstones.js';
import type { TweeterTransaction } from '../db/client.js';
import { tweeterError } from '../domain/errors.js';

/**
 * The first step of every transaction that writes for a user: takes the user's lock (so writes and
 * the erasure never interleave) and refuses the write when the user's data was erased; their
 * access token may live on for minutes after the account is gone.
 */
export async function guardUserWrites(tx: TweeterTransaction, userId: string): Promise<void> {
  await lockUserWrites(tx, userId);
  if (await isErased(tx, userId)) throw tweeterError('ACCOUNT_DELETED');
}
