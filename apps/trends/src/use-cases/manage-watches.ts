import { pageOf, type PagePosition } from '@trendcast/service-kit';
import { deleteUsersWatch, findUsersWatch, insertWatch, listUsersWatches, setUsersWatchStatus } from '../data/watches.js';
import type { WatchRow, WatchStatus } from '../db/schema.js';
import { parseSchedule, type Schedule } from '../domain/schedule.js';
import type { WatchRequest } from '../domain/watch-request.js';
import type { TrendsDeps } from './deps.js';
import { checkWatchQuota, guardUserWrites } from './user-writes.js';

type WatchDeps = Pick<TrendsDeps, 'db' | 'queue' | 'logger' | 'settings' | 'now'>;

/** A watch with when its scheduler runs next (null while paused, or when Redis cannot say). */
export interface ScheduledWatch {
  watch: WatchRow;
  nextRunAt: Date | null;
}

async function withNextRun(deps: Pick<TrendsDeps, 'queue'>, watch: WatchRow): Promise<ScheduledWatch> {
  return { watch, nextRunAt: await deps.queue.nextRunOf(watch.id).catch(() => null) };
}

export function scheduleOf(watch: Pick<WatchRow, 'every' | 'timezone'>, minIntervalMs: number): Schedule {
  // Stored watches were validated when made; a later, stricter minimum does not stop them.
  return parseSchedule(watch.every, Math.min(minIntervalMs, 1_000), watch.timezone);
}

/**
 * Records the watch, then gives it a BullMQ job scheduler. Should Redis refuse, the watch is still
 * active in the database and the scheduler sync creates its scheduler on its next round.
 */
export async function createWatch(deps: WatchDeps, input: { userId: string; request: WatchRequest }): Promise<ScheduledWatch> {
  const watch = await deps.db.transaction(async (tx) => {
    // Nothing is written for an erased user, and one user's active watches are bounded.
    await guardUserWrites(tx, input.userId);
    await checkWatchQuota(tx, input.userId, deps.settings.quotas);
    return insertWatch(tx, { ...input, now: deps.now() });
  });
  await schedule(deps, watch);
  return withNextRun(deps, watch);
}

export async function listWatches(
  deps: Pick<TrendsDeps, 'db' | 'queue'>,
  input: { userId: string; status?: WatchStatus | undefined; limit: number; after?: PagePosition | undefined },
): Promise<{ items: ScheduledWatch[]; nextCursor: string | null }> {
  // One extra row tells whether another page exists.
  const rows = await listUsersWatches(deps.db, { ...input, limit: input.limit + 1 });
  const page = pageOf(rows, input.limit, (watch) => ({ at: watch.createdAt, id: watch.id }));
  // One look at Redis for the whole page; without Redis the watches still list.
  const scheduled = await deps.queue.scheduledWatchIds().catch(() => new Map<string, { next: number | null }>());
  return {
    items: page.items.map((watch) => {
      const next = scheduled.get(watch.id)?.next;
      return { watch, nextRunAt: next ? new Date(next) : null };
    }),
    nextCursor: page.nextCursor,
  };
}

export async function getWatch(
  deps: Pick<TrendsDeps, 'db' | 'queue'>,
  input: { userId: string; watchId: string },
): Promise<ScheduledWatch | undefined> {
  const watch = await findUsersWatch(deps.db, input);
  return watch && withNextRun(deps, watch);
}

/** Pauses or resumes one of the user's watches; the job scheduler follows. */
export async function setWatchStatus(
  deps: WatchDeps,
  input: { userId: string; watchId: string; status: WatchStatus },
): Promise<ScheduledWatch | undefined> {
  const watch = await deps.db.transaction(async (tx) => {
    await guardUserWrites(tx, input.userId);
    if (input.status === 'active') {
      // Resuming a paused watch adds an active one: the cap counts it.
      const current = await findUsersWatch(tx, input);
      if (current?.status === 'paused') await checkWatchQuota(tx, input.userId, deps.settings.quotas);
    }
    return setUsersWatchStatus(tx, { ...input, now: deps.now() });
  });
  if (!watch) return undefined;
  if (watch.status === 'active') await schedule(deps, watch);
  else await unschedule(deps, watch.id);
  return withNextRun(deps, watch);
}

export async function deleteWatch(deps: WatchDeps, input: { userId: string; watchId: string }): Promise<boolean> {
  if (!(await deleteUsersWatch(deps.db, input))) return false;
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
