import { and, eq } from 'drizzle-orm';
import type { ThinkerExecutor } from '../db/client.js';
import { trendSearches, type TrendSearchRow } from '../db/schema.js';

/** Keeps a finished search's summary (a redelivery changes nothing). */
export async function saveTrendSearch(db: ThinkerExecutor, row: TrendSearchRow): Promise<void> {
  await db.insert(trendSearches).values(row).onConflictDoNothing({ target: trendSearches.searchId });
}

export async function findUsersTrendSearch(db: ThinkerExecutor, o: { userId: string; searchId: string }): Promise<TrendSearchRow | undefined> {
  const [row] = await db
    .select()
    .from(trendSearches)
    .where(and(eq(trendSearches.searchId, o.searchId), eq(trendSearches.userId, o.userId)));
  return row;
}

export async function deleteTrendSearchesOfUser(db: ThinkerExecutor, userId: string): Promise<number> {
  const deleted = await db.delete(trendSearches).where(eq(trendSearches.userId, userId)).returning({ id: trendSearches.searchId });
  return deleted.length;
}
