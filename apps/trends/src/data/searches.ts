import type { PagePosition } from '@trendcast/service-kit';
import { newestFirstAfter } from '@trendcast/database';
import { randomUUID } from 'node:crypto';
import { and, eq, inArray, lt, type SQL } from 'drizzle-orm';
import type { GenerateRequest } from '@trendcast/events';
import type { TrendsExecutor } from '../db/client.js';
import { searchResults, searches, type SearchResultRow, type SearchRow, type SearchStatus } from '../db/schema.js';
import type { SearchSpec } from '../domain/search-request.js';

export interface NewSearch {
  userId: string;
  spec: SearchSpec;
  generate: GenerateRequest | null;
  cacheKey: string;
  correlationId: string;
  watchId?: string | undefined;
  triggerKey?: string | undefined;
  now: Date;
}

/** Records a queued search; undefined when a search with the same trigger key exists already. */
export async function insertSearch(db: TrendsExecutor, search: NewSearch): Promise<SearchRow | undefined> {
  const { query, timeframe } = search.spec;
  const [row] = await db
    .insert(searches)
    .values({
      id: randomUUID(),
      userId: search.userId,
      watchId: search.watchId ?? null,
      keywords: query.keywords,
      geo: query.geo,
      timeframe,
      startTime: query.startTime,
      endTime: query.endTime,
      category: query.category,
      property: query.property,
      generate: search.generate,
      cacheKey: search.cacheKey,
      status: 'queued',
      triggerKey: search.triggerKey ?? null,
      correlationId: search.correlationId,
      createdAt: search.now,
      updatedAt: search.now,
    })
    .onConflictDoNothing({ target: searches.triggerKey })
    .returning();
  return row;
}

export async function findSearch(db: TrendsExecutor, searchId: string): Promise<SearchRow | undefined> {
  const [row] = await db.select().from(searches).where(eq(searches.id, searchId));
  return row;
}

/** One of the user's searches with its result, if any. */
export async function findUsersSearch(
  db: TrendsExecutor,
  o: { userId: string; searchId: string },
): Promise<{ search: SearchRow; result: SearchResultRow | null } | undefined> {
  const [row] = await db
    .select({ search: searches, result: searchResults })
    .from(searches)
    .leftJoin(searchResults, eq(searchResults.searchId, searches.id))
    .where(and(eq(searches.id, o.searchId), eq(searches.userId, o.userId)));
  return row;
}

/** The user's searches newest first, `limit` rows after the cursor. */
export async function listUsersSearches(
  db: TrendsExecutor,
  o: { userId: string; status?: SearchStatus | undefined; limit: number; after?: PagePosition | undefined },
): Promise<SearchRow[]> {
  const page = newestFirstAfter({ at: searches.createdAt, id: searches.id }, o.after);
  const conditions: SQL[] = [eq(searches.userId, o.userId)];
  if (o.status) conditions.push(eq(searches.status, o.status));
  if (page.where) conditions.push(page.where);
  return db
    .select()
    .from(searches)
    .where(and(...conditions))
    .orderBy(...page.orderBy)
    .limit(o.limit);
}

/** Deletes one of the user's searches (its result cascades); false when there was none. */
export async function deleteUsersSearch(db: TrendsExecutor, o: { userId: string; searchId: string }): Promise<boolean> {
  const deleted = await db
    .delete(searches)
    .where(and(eq(searches.id, o.searchId), eq(searches.userId, o.userId)))
    .returning({ id: searches.id });
  return deleted.length > 0;
}

export async function markSearchRunning(db: TrendsExecutor, search: SearchRow, attempt: number, now: Date): Promise<void> {
  await db
    .update(searches)
    .set({ status: 'running', attempts: attempt, startedAt: search.startedAt ?? now, updatedAt: now })
    .where(eq(searches.id, search.id));
}

/** Back to queued after a failed attempt that will be retried, with why it failed. */
export async function markSearchRetrying(db: TrendsExecutor, searchId: string, lastError: string, now: Date): Promise<void> {
  await db.update(searches).set({ status: 'queued', lastError, updatedAt: now }).where(eq(searches.id, searchId));
}

/** Ids of queued or running searches nothing touched since `untouchedSince`, at most `limit`. */
export async function pendingSearchIdsUntouchedSince(db: TrendsExecutor, untouchedSince: Date, limit: number): Promise<string[]> {
  const rows = await db
    .select({ id: searches.id })
    .from(searches)
    .where(and(inArray(searches.status, ['queued', 'running']), lt(searches.updatedAt, untouchedSince)))
    .limit(limit);
  return rows.map((row) => row.id);
}

/** Erases every search of a user (results cascade); returns how many. */
export async function deleteSearchesOfUser(db: TrendsExecutor, userId: string): Promise<number> {
  const deleted = await db.delete(searches).where(eq(searches.userId, userId)).returning({ id: searches.id });
  return deleted.length;
}

/** Deletes one search whatever its owner (a leftover of an erased user, found by its job). */
export async function deleteSearch(db: TrendsExecutor, searchId: string): Promise<void> {
  await db.delete(searches).where(eq(searches.id, searchId));
}
