import { pendingSearchIdsUntouchedSince } from '../data/searches.js';
import { activeWatches } from '../data/watches.js';
import type { TrendsDeps } from './deps.js';
import { scheduleOf } from './manage-watches.js';
import { failSearchAfterCrash } from './process-search.js';

export interface ReconcileReport {
  requeued: number;
  failed: number;
  schedulersAdded: number;
  schedulersRemoved: number;
}

const batch = 500;

/**
 * PostgreSQL is the source of truth; Redis may lose everything (restart without persistence,
 * flush). This puts back what the database says should be in Redis:
 * - a queued or running search with no job gets its job again;
 * - a search whose job failed for good without the search being marked (the process died between
 *   the two) is failed with the job's reason;
 * - every active watch has its job scheduler, and no scheduler outlives its watch.
 */
export async function reconcile(deps: TrendsDeps): Promise<ReconcileReport> {
  const report: ReconcileReport = { requeued: 0, failed: 0, schedulersAdded: 0, schedulersRemoved: 0 };
  const untouchedSince = new Date(deps.now().getTime() - deps.settings.reconcileGraceMs);
  const pending = await pendingSearchIdsUntouchedSince(deps.db, untouchedSince, batch);
  for (const id of pending) {
    const state = await deps.queue.searchJobState(id);
    if (state === 'missing') {
      await deps.queue.enqueueSearch(id);
      report.requeued += 1;
      deps.logger.warn({ searchId: id }, 'search had no job in Redis; queued it again');
    } else if (state === 'failed') {
      const reason = (await deps.queue.failedReasonOf(id)) ?? 'the job failed';
      if (await failSearchAfterCrash(deps, id, reason)) report.failed += 1;
    } else if (state === 'completed') {
      // Finished in Redis yet pending here: the attempt returned without writing. Try once more.
      await deps.queue.removeSearchJob(id);
      await deps.queue.enqueueSearch(id);
      report.requeued += 1;
    }
  }

  const active = await activeWatches(deps.db);
  const scheduled = await deps.queue.scheduledWatchIds();
  for (const watch of active) {
    if (scheduled.has(watch.id)) continue;
    await deps.queue.upsertWatchScheduler(watch.id, scheduleOf(watch, deps.settings.watchMinIntervalMs));
    report.schedulersAdded += 1;
  }
  const activeIds = new Set(active.map((watch) => watch.id));
  for (const watchId of scheduled.keys()) {
    if (activeIds.has(watchId)) continue;
    await deps.queue.removeWatchScheduler(watchId);
    report.schedulersRemoved += 1;
  }
  if (report.requeued + report.failed + report.schedulersAdded + report.schedulersRemoved > 0) {
    deps.logger.info({ ...report }, 'reconciled the database with Redis');
  }
  return report;
}
