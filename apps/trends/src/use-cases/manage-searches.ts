import { and, desc, eq, lt, or, type SQL } from 'drizzle-orm';
import { searchResults, searches, type SearchResultRow, type SearchRow, type SearchStatus } from '../db/schema.js';
import type { TrendsDeps } from './deps.js';
import { encodeCursor, type Cursor } from './pagination.js';

export interface SearchPage {
  items: SearchRow[];
  nextCursor: string | null;
}

/** The user's own searches, newest first. */
export async function listSearches(
  deps: Pick<TrendsDeps, 'db'>,
  input: { userId: string; status?: SearchStatus | undefined; limit: number; after?: Cursor | undefined },
): Promise<SearchPage> {
  const conditions: SQL[] = [eq(searches.userId, input.userId)];
  if (input.status) conditions.push(eq(searches.status, input.status));
  if (input.after) {
    const createdAt = new Date(input.after.createdAt);
    conditions.push(
      or(lt(searches.createdAt, createdAt), and(eq(searches.createdAt, createdAt), lt(searches.id, input.after.id))) as SQL,
    );
  }
  const rows = await deps.db
    .select()
    .from(searches)
    .where(and(...conditions))
    .orderBy(desc(searches.createdAt), desc(searches.id))
    .limit(input.limit + 1);
  const items = rows.slice(0, input.limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > input.limit && last ? encodeCursor(last) : null };
}

/** One of the user's searches with its result; undefined when it does not exist or is someone else's. */
export async function getSearch(
  deps: Pick<TrendsDeps, 'db'>,
  input: { userId: string; searchId: string },
): Promise<{ search: SearchRow; result: SearchResultRow | null } | undefined> {
  const [row] = await deps.db
    .select({ search: searches, result: searchResults })
    .from(searches)
    .leftJoin(searchResults, eq(searchResults.searchId, searches.id))
    .where(and(eq(searches.id, input.searchId), eq(searches.userId, input.userId)));
  return row;
}

/** Deletes one of the user's searches (and its result); a queued job finds it gone and stops. */
export async function deleteSearch(
  deps: Pick<TrendsDeps, 'db' | 'queue'>,
  input: { userId: string; searchId: string },
): Promise<boolean> {
  const deleted = await deps.db
    .delete(searches)
    .where(and(eq(searches.id, input.searchId), eq(searches.userId, input.userId)))
    .returning({ id: searches.id });
  if (deleted.length === 0) return false;
  await deps.queue.removeSearchJob(input.searchId).catch(() => undefined);
  return true;
}
