import type { PagePosition } from '@trendcast/service-kit';
import { newestFirstAfter } from '@trendcast/database';
import { randomUUID } from 'node:crypto';
import { and, eq, type SQL } from 'drizzle-orm';
import type { TrendsExecutor } from '../db/client.js';
import { watches, type WatchRow, type WatchStatus } from '../db/schema.js';
import type { WatchRequest } from '../domain/watch-request.js';

export async function insertWatch(db: TrendsExecutor, o: { userId: string; request: WatchRequest; now: Date }): Promise<WatchRow> {
  const { request } = o;
  const [watch] = await db
    .insert(watches)
    .values({
      id: randomUUID(),
      userId: o.userId,
      keywords: request.keywords,
      geo: request.geo,
      timeframe: request.timeframe,
      category: request.category,
      property: request.property,
      every: request.every,
      timezone: request.timezone,
      generate: request.generate ?? null,
      status: 'active',
      createdAt: o.now,
      updatedAt: o.now,
    })
    .returning();
  if (!watch) throw new Error('insert returned no watch');
  return watch;
}

export async function findWatch(db: TrendsExecutor, watchId: string): Promise<WatchRow | undefined> {
  const [watch] = await db.select().from(watches).where(eq(watches.id, watchId));
  return watch;
}

export async function findUsersWatch(db: TrendsExecutor, o: { userId: string; watchId: string }): Promise<WatchRow | undefined> {
  const [watch] = await db.select().from(watches).where(and(eq(watches.id, o.watchId), eq(watches.userId, o.userId)));
  return watch;
}

/** The user's watches newest first, `limit` rows after the cursor. */
export async function listUsersWatches(
  db: TrendsExecutor,
  o: { userId: string; status?: WatchStatus | undefined; limit: number; after?: PagePosition | undefined },
): Promise<WatchRow[]> {
  const page = newestFirstAfter({ at: watches.createdAt, id: watches.id }, o.after);
  const conditions: SQL[] = [eq(watches.userId, o.userId)];
  if (o.status) conditions.push(eq(watches.status, o.status));
  if (page.where) conditions.push(page.where);
  return db
    .select()
    .from(watches)
    .where(and(...conditions))
    .orderBy(...page.orderBy)
    .limit(o.limit);
}

export async function setUsersWatchStatus(
  db: TrendsExecutor,
  o: { userId: string; watchId: string; status: WatchStatus; now: Date },
): Promise<WatchRow | undefined> {
  const [watch] = await db
    .update(watches)
    .set({ status: o.status, updatedAt: o.now })
    .where(and(eq(watches.id, o.watchId), eq(watches.userId, o.userId)))
    .returning();
  return watch;
}

export async function deleteUsersWatch(db: TrendsExecutor, o: { userId: string; watchId: string }): Promise<boolean> {
  const deleted = await db
    .delete(watches)
    .where(and(eq(watches.id, o.watchId), eq(watches.userId, o.userId)))
    .returning({ id: watches.id });
  return deleted.length > 0;
}

export async function recordWatchRun(db: TrendsExecutor, o: { watchId: string; searchId: string; at: Date }): Promise<void> {
  await db.update(watches).set({ lastRunAt: o.at, lastSearchId: o.searchId }).where(eq(watches.id, o.watchId));
}

export async function activeWatches(db: TrendsExecutor): Promise<WatchRow[]> {
  return db.select().from(watches).where(eq(watches.status, 'active'));
}

/** Erases every watch of a user; returns their ids (their schedulers go next). */
export async function deleteWatchesOfUser(db: TrendsExecutor, userId: string): Promise<string[]> {
  const deleted = await db.delete(watches).where(eq(watches.userId, userId)).returning({ id: watches.id });
  return deleted.map((watch) => watch.id);
}

/** Deletes one watch whatever its owner (a leftover of an erased user, found by its job). */
export async function deleteWatch(db: TrendsExecutor, watchId: string): Promise<void> {
  await db.delete(watches).where(eq(watches.id, watchId));
}
