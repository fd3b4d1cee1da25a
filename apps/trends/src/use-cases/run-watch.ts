import { randomUUID } from 'node:crypto';
import { isErased } from '../data/tombstones.js';
import { deleteWatch, findWatch, recordWatchRun } from '../data/watches.js';
import { toSearchSpec } from '../domain/search-request.js';
import type { NamedTimeframe } from '../domain/timeframe.js';
import type { SearchProperty } from '../integrations/google/trends-query.js';
import type { TrendsDeps } from './deps.js';
import { startSearch } from './start-search.js';

/**
 * One scheduled run of a watch: starts a search over the watch's timeframe ending now. `runKey` (the
 * scheduler's job id) makes a retried run start one search, not two. A run of a watch that is
 * paused or gone removes its scheduler instead.
 */
export async function runWatch(
  deps: Pick<TrendsDeps, 'db' | 'queue' | 'logger' | 'settings' | 'now'>,
  input: { watchId: string; runKey: string },
): Promise<'started' | 'duplicate' | 'unscheduled'> {
  const watch = await findWatch(deps.db, input.watchId);
  if (watch && (await isErased(deps.db, watch.userId))) {
    // The user's data was erased: the watch goes, and no search is started for it.
    await deleteWatch(deps.db, watch.id);
    await deps.queue.removeWatchScheduler(input.watchId);
    deps.logger.info({ watchId: input.watchId }, 'watch of an erased user deleted instead of run');
    return 'unscheduled';
  }
  if (!watch || watch.status !== 'active') {
    await deps.queue.removeWatchScheduler(input.watchId);
    deps.logger.info({ watchId: input.watchId }, 'watch is paused or gone; its scheduler was removed');
    return 'unscheduled';
  }
  const now = deps.now();
  const spec = toSearchSpec(
    {
      keywords: watch.keywords,
      geo: watch.geo,
      timeframe: watch.timeframe as NamedTimeframe,
      category: watch.category,
      property: watch.property as SearchProperty,
    },
    now,
  );
  const search = await startSearch(deps, {
    userId: watch.userId,
    spec,
    generate: watch.generate,
    correlationId: randomUUID(),
    watchId: watch.id,
    triggerKey: input.runKey,
  });
  if (!search) return 'duplicate';
  await recordWatchRun(deps.db, { watchId: watch.id, searchId: search.id, at: now });
  deps.logger.info({ watchId: watch.id, searchId: search.id }, 'watch ran');
  return 'started';
}
