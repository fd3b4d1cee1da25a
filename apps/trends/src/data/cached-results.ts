import { and, desc, eq, gt } from 'drizzle-orm';
import { searchResults, searches, type SearchResultRow } from '../db/schema.js';
import type { TrendsExecutor } from '../db/client.js';

/**
 * The freshest stored answer to the same question (same cache key) that Google gave less than
 * `maxAgeMs` ago. Age counts from when Google was asked, so a copy of a copy never outlives the window.
 */
export async function findCachedResult(
  db: TrendsExecutor,
  cacheKey: string,
  maxAgeMs: number,
  now: Date,
): Promise<SearchResultRow | undefined> {
  if (maxAgeMs <= 0) return undefined;
  const [row] = await db
    .select({ result: searchResults })
    .from(searches)
    .innerJoin(searchResults, eq(searchResults.searchId, searches.id))
    .where(
      and(
        eq(searches.cacheKey, cacheKey),
        eq(searches.status, 'completed'),
        gt(searchResults.fetchedAt, new Date(now.getTime() - maxAgeMs)),
      ),
    )
    .orderBy(desc(searchResults.fetchedAt))
    .limit(1);
  return row?.result;
}
