import { pendingGenerationIdsUntouchedSince } from '../data/generations.js';
import type { ThinkerDeps } from './deps.js';
import { failGenerationAfterCrash } from './process-generation.js';

export interface ReconcileReport {
  requeued: number;
  failed: number;
}

const batch = 500;

/**
 * PostgreSQL is the source of truth; Redis may lose everything. A queued or running generation with
 * no job gets its job again; one whose job failed for good without the generation being marked
 * (the process died between the two) is failed with the job's reason.
 */
export async function reconcile(deps: ThinkerDeps): Promise<ReconcileReport> {
  const report: ReconcileReport = { requeued: 0, failed: 0 };
  const untouchedSince = new Date(deps.now().getTime() - deps.settings.reconcileGraceMs);
  for (const id of await pendingGenerationIdsUntouchedSince(deps.db, untouchedSince, batch)) {
    const state = await deps.queue.jobState(id);
    if (state === 'missing') {
      await deps.queue.enqueue(id);
      report.requeued += 1;
      deps.logger.warn({ generationId: id }, 'generation had no job in Redis; queued it again');
    } else if (state === 'failed') {
      const reason = (await deps.queue.failedReasonOf(id)) ?? 'the job failed';
      if (await failGenerationAfterCrash(deps, id, reason)) report.failed += 1;
    } else if (state === 'completed') {
      // Finished in Redis yet pending here: the run returned without writing. Try once more.
      await deps.queue.remove(id);
      await deps.queue.enqueue(id);
      report.requeued += 1;
    }
  }
  if (report.requeued + report.failed > 0) deps.logger.info({ ...report }, 'reconciled the database with Redis');
  return report;
}
