import { postsNeedingJobs } from '../data/posts.js';
import type { TweeterDeps } from './deps.js';

const batch = 5_000;

/**
 * PostgreSQL is the truth, Redis only the alarm clock: every post due soon (or between retries, or
 * held by a worker that died) must have a job. Queues one for each that has none (Redis restarted
 * or flushed, a queueing that failed after a commit).
 */
export async function reconcile(deps: Pick<TweeterDeps, 'db' | 'queue' | 'logger' | 'settings' | 'now'>): Promise<{ checked: number; queued: number }> {
  const now = deps.now();
  const candidates = await postsNeedingJobs(deps.db, {
    dueBefore: new Date(now.getTime() + deps.settings.reconcileLookaheadMs),
    staleBefore: new Date(now.getTime() - deps.settings.leaseMs),
    limit: batch,
  });
  const missing = new Set(await deps.queue.withoutJobs(candidates.map((c) => c.id)));
  const toQueue = candidates.filter((c) => missing.has(c.id)).map((c) => ({ postId: c.id, at: c.at }));
  await deps.queue.enqueueMany(toQueue);
  if (toQueue.length > 0) deps.logger.info({ queued: toQueue.length }, 'queued posts whose jobs were missing');
  return { checked: candidates.length, queued: toQueue.length };
}
