import { isErased, lockUserWrites } from '../data/tombstones.js';
import { activeWatchCountOf, searchUsageOf } from '../data/user-quotas.js';
import type { TrendsTransaction } from '../db/client.js';
import { trendsError } from '../domain/errors.js';
import { assertSearchFits, assertWatchFits, searchRateWindowMs, type UserQuotas } from '../domain/user-quotas.js';

/**
 * The first step of every transaction that writes for a user: takes the user's lock (so writes and
 * the erasure never interleave) and refuses the write when the user's data was erased; their
 * access token may live on for minutes after the account is gone.
 */
export async function guardUserWrites(tx: TrendsTransaction, userId: string): Promise<void> {
  await lockUserWrites(tx, userId);
  if (await isErased(tx, userId)) throw trendsError('ACCOUNT_DELETED');
}

/** After guardUserWrites: refuses a search through the API that would pass the user's caps. */
export async function checkSearchQuota(tx: TrendsTransaction, userId: string, quotas: UserQuotas, now: Date): Promise<void> {
  assertSearchFits(await searchUsageOf(tx, userId, new Date(now.getTime() - searchRateWindowMs)), quotas, now);
}

/** After guardUserWrites: refuses one more active watch (created or resumed) beyond the user's cap. */
export async function checkWatchQuota(tx: TrendsTransaction, userId: string, quotas: UserQuotas): Promise<void> {
  assertWatchFits(await activeWatchCountOf(tx, userId), quotas);
}
