import { and, count, eq, gt, inArray, isNull, min } from 'drizzle-orm';
import type { TrendsTransaction } from '../db/client.js';
import { searches, watches } from '../db/schema.js';
import type { SearchUsage } from '../domain/user-quotas.js';

/**
 * What one user has queued, counted inside the transaction that will add to it, after the user's
 * lock (lockUserWrites): concurrent requests of one user then count one another.
 */
export async function searchUsageOf(tx: TrendsTransaction, userId: string, since: Date): Promise<SearchUsage> {
  const [inFlight] = await tx
    .select({ n: count() })
    .from(searches)
    .where(and(eq(searches.userId, userId), inArray(searches.status, ['queued', 'running'])));
  // Searches started through the API (watch runs have a watch id).
  const [recent] = await tx
    .select({ n: count(), oldest: min(searches.createdAt) })
    .from(searches)
    .where(and(eq(searches.userId, userId), isNull(searches.watchId), gt(searches.createdAt, since)));
  return {
    inFlight: inFlight?.n ?? 0,
    startedRecently: recent?.n ?? 0,
    oldestRecentStart: recent?.oldest ? new Date(recent.oldest) : null,
  };
}

export async function activeWatchCountOf(tx: TrendsTransaction, userId: string): Promise<number> {
  const [active] = await tx
    .select({ n: count() })
    .from(watches)
    .where(and(eq(watches.userId, userId), eq(watches.status, 'active')));
  return active?.n ?? 0;
}
