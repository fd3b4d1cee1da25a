import { generationsInFlightOf } from '../data/generations.js';
import { isErased, lockUserWrites } from '../data/tombstones.js';
import type { ThinkerTransaction } from '../db/client.js';
import { thinkerError } from '../domain/errors.js';

/**
 * The first step of every transaction that writes for a user through the API: takes the user's lock
 * (so writes and the erasure never interleave) and refuses the write when the user's data was
 * erased; their access token may live on for minutes after the account is gone.
 */
export async function guardUserWrites(tx: ThinkerTransaction, userId: string): Promise<void> {
  await lockUserWrites(tx, userId);
  if (await isErased(tx, userId)) throw thinkerError('ACCOUNT_DELETED');
}

/** After guardUserWrites: refuses one more generation beyond the user's cap (counted under the same lock). */
export async function checkGenerationQuota(tx: ThinkerTransaction, userId: string, maxInFlight: number): Promise<void> {
  if ((await generationsInFlightOf(tx, userId)) >= maxInFlight) {
    throw thinkerError('TOO_MANY_GENERATIONS_IN_FLIGHT', {
      message: `At most ${maxInFlight} of your generations can be queued or running at once; wait for one to finish`,
      details: { limit: maxInFlight, retryAfterSeconds: 15 },
      retryAfterSeconds: 15,
    });
  }
}
