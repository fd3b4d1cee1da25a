import { createEvent, type TrendSummary } from '@trendcast/events';
import { addToOutbox } from '@trendcast/outbox';
import { and, eq, inArray } from 'drizzle-orm';
import type { TrendResults } from '../integrations/google/trend-data.js';
import type { TrendsDatabase, TrendsTransaction } from '../db/client.js';
import { searchResults, searches, type SearchRow } from '../db/schema.js';

export const serviceName = 'trends';
const pending = ['queued', 'running'] as const;

export interface StoredResult {
  results: TrendResults;
  summary: TrendSummary;
  fetchedAt: Date;
  /** The search whose stored result is reused, when the cache answered. */
  cachedFrom?: string;
}

/**
 * Stores the result, marks the search completed and adds trends.search.completed to the outbox,
 * all in the caller's transaction. False when the search is no longer pending (deleted, or
 * finished by another attempt): nothing is written then.
 */
export async function completeSearch(tx: TrendsTransaction, search: SearchRow, stored: StoredResult, now: Date): Promise<boolean> {
  const [updated] = await tx
    .update(searches)
    .set({ status: 'completed', completedAt: now, updatedAt: now, lastError: null, cachedFrom: stored.cachedFrom ?? null })
    .where(and(eq(searches.id, search.id), inArray(searches.status, [...pending])))
    .returning({ id: searches.id });
  if (!updated) return false;
  await tx.insert(searchResults).values({
    searchId: search.id,
    interestOverTime: stored.results.interestOverTime,
    interestByRegion: stored.results.interestByRegion,
    relatedQueries: stored.results.relatedQueries,
    relatedTopics: stored.results.relatedTopics,
    summary: stored.summary,
    fetchedAt: stored.fetchedAt,
  });
  await addToOutbox(
    tx,
    createEvent(
      'trends.search.completed',
      {
        searchId: search.id,
        userId: search.userId,
        ...(search.watchId ? { watchId: search.watchId } : {}),
        keywords: search.keywords,
        geo: search.geo,
        summary: stored.summary,
        ...(search.generate ? { generate: search.generate } : {}),
      },
      { source: serviceName, correlationId: search.correlationId },
    ),
  );
  return true;
}

/** Marks the search failed with a reason a person can read and adds trends.search.failed, in one transaction. */
export async function failSearch(db: TrendsDatabase, search: SearchRow, reason: string, now: Date): Promise<boolean> {
  const text = reason.length > 1000 ? `${reason.slice(0, 997)}...` : reason;
  return db.transaction(async (tx) => {
    const [updated] = await tx
      .update(searches)
      .set({ status: 'failed', failureReason: text, lastError: text, completedAt: now, updatedAt: now })
      .where(and(eq(searches.id, search.id), inArray(searches.status, [...pending])))
      .returning({ id: searches.id });
    if (!updated) return false;
    await addToOutbox(
      tx,
      createEvent(
        'trends.search.failed',
        {
          searchId: search.id,
          userId: search.userId,
          ...(search.watchId ? { watchId: search.watchId } : {}),
          keywords: search.keywords,
          reason: text,
        },
        { source: serviceName, correlationId: search.correlationId },
      ),
    );
    return true;
  });
}
