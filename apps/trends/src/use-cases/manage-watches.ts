import { randomUUID } from 'node:crypto';
import { and, desc, eq, lt, or, type SQL } from 'drizzle-orm';
import { guardUserWrites } from '../data/tombstones.js';
import { checkWatchQuota } from '../data/user-quotas.js';
import { watches, type WatchRow, type WatchStatus } from '../db/schema.js';
import { parseSchedule, type Schedule } from '../domain/schedule.js';
import type { WatchRequest } from '../domain/watch-request.js';
import type { TrendsDeps } from './deps.js';
import { encodeCursor, type Cursor } from './pagination.js';

type WatchDeps = Pick<TrendsDeps, 'db' | 'queue' | 'logger' | 'settings' | 'now'>;

export function scheduleOf(watch: Pick<WatchRow, 'every' | 'timezone'>, minIntervalMs: number): Schedule {
  // Stored watches were validated when made; a later, stricter minimum does not stop them.
  return parseSchedule(watch.every, Math.min(minIntervalMs, 1_000), watch.timezone);
}

/**
 * Records the watch, then gives it a BullMQ job scheduler. Should Redis refuse, the watch is still
 * active in the database and the scheduler sync creates its scheduler on its next round.
 */
export async function createWatch(deps: WatchDeps, input: { userId: string; request: WatchRequest }): Promise<WatchRow> {
  const now = deps.now();
  const { request } = input;
  const [watch] = await deps.db.transaction(async (tx) => {
    await guardUserWrites(tx, input.userId);
    await checkWatchQuota(tx, input.userId, deps.settings.quotas);
    return tx
      .insert(watches)
      .values({
        id: randomUUID(),
        userId: input.userId,
        keywords: request.keywords,
        geo: request.geo,
        timeframe: request.timeframe,
        category: request.category,
        property: request.property,
        every: request.every,
        timezone: request.timezone,
        generate: request.generate ?? null,
        status: 'active',
        createdAt: now,
        updatedAt: now,
      })
      .returning();
  });
  if (!watch) throw new Error('insert returned no watch');
  await schedule(deps, watch);
  return watch;
}

export async function listWatches(
  deps: Pick<TrendsDeps, 'db'>,
  input: { userId: string; status?: WatchStatus | undefined; limit: number; after?: Cursor | undefined },
): Promise<{ items: WatchRow[]; nextCursor: string | null }> {
  const conditions: SQL[] = [eq(watches.userId, input.userId)];
  if (input.status) conditions.push(eq(watches.status, input.status));
  if (input.after) {
    const createdAt = new Date(input.after.createdAt);
    conditions.push(or(lt(watches.createdAt, createdAt), and(eq(watches.createdAt, createdAt), lt(watches.id, input.after.id))) as SQL);
  }
  const rows = await deps.db
    .select()
    .from(watches)
    .where(and(...conditions))
    .orderBy(desc(watches.createdAt), desc(watches.id))
    .limit(input.limit + 1);
  const items = rows.slice(0, input.limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > input.limit && last ? encodeCursor(last) : null };
}

export async function getWatch(deps: Pick<TrendsDeps, 'db'>, input: { userId: string; watchId: string }): Promise<WatchRow | undefined> {
  const [watch] = await deps.db.select().from(watches).where(and(eq(watches.id, input.watchId), eq(watches.userId, input.userId)));
  return watch;
}

/** Pauses or resumes one of the user's watches; the job scheduler follows. */
export async function setWatchStatus(
  deps: WatchDeps,
  input: { userId: string; watchId: string; status: WatchStatus },
): Promise<WatchRow | undefined> {
  const [watch] = await deps.db.transaction(async (tx) => {
    await guardUserWrites(tx, input.userId);
    if (input.status === 'active') {
      const [current] = await tx
        .select({ status: watches.status })
        .from(watches)
        .where(and(eq(watches.id, input.watchId), eq(watches.userId, input.userId)));
      if (current?.status === 'paused') await checkWatchQuota(tx, input.userId, deps.settings.quotas);
    }
    return tx
      .update(watches)
      .set({ status: input.status, updatedAt: deps.now() })
      .where(and(eq(watches.id, input.watchId), eq(watches.userId, input.userId)))
      .returning();
  });
  if (!watch) return undefined;
  if (watch.status === 'active') await schedule(deps, watch);
  else await unschedule(deps, watch.id);
  return watch;
}

export async function deleteWatch(deps: WatchDeps, input: { userId: string; watchId: string }): Promise<boolean> {
  const deleted = await deps.db
    .delete(watches)
    .where(and(eq(watches.id, input.watchId), eq(watches.userId, input.userId)))
    .returning({ id: watches.id });
  if (deleted.length === 0) return false;
  await unschedule(deps, input.watchId);
  return true;
}

async function schedule(deps: WatchDeps, watch: WatchRow): Promise<void> {
  try {
    await deps.queue.upsertWatchScheduler(watch.id, scheduleOf(watch, deps.settings.watchMinIntervalMs));
  } catch (error) {
    deps.logger.warn({ err: error, watchId: watch.id }, 'could not schedule the watch now; the scheduler sync will');
  }
}

async function unschedule(deps: WatchDeps, watchId: string): Promise<void> {
  try {
    await deps.queue.removeWatchScheduler(watchId);
  } catch (error) {
    // A scheduler left behind finds its watch paused or gone on its next run and removes itself.
    deps.logger.warn({ err: error, watchId }, 'could not remove the watch scheduler now');
  }
}
