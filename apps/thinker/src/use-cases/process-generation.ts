import { completeGeneration, failGeneration } from '../data/generation-outcomes.js';
import { deleteGeneration, findGeneration, markGenerationRunning } from '../data/generations.js';
import { isErased } from '../data/tombstones.js';
import type { GenerationRow } from '../db/schema.js';
import { offlineModelName } from '../domain/offline-drafts.js';
import type { ThinkerDeps } from './deps.js';
import { generateDrafts } from './generate-drafts.js';

export type ProcessOutcome =
  | { outcome: 'completed'; model: string; drafts: number; fallback: boolean }
  | { outcome: 'failed'; code: string; reason: string }
  /** The generation is gone, already finished, or its user erased: nothing to do. */
  | { outcome: 'skipped' };

/**
 * One run of a generation's job: writes the drafts with the engine (the model, or offline, as
 * configured), then stores them, marks the generation completed and adds thinker.drafts.generated in
 * one transaction, or marks it failed with thinker.generation.failed. The store checks that the
 * generation is still pending, so a job run twice (a worker killed mid-job, its job taken over)
 * completes it once. Anything else thrown (database down, shutdown) is for the queue to retry.
 */
export async function processGeneration(deps: ThinkerDeps, input: { generationId: string; signal?: AbortSignal }): Promise<ProcessOutcome> {
  const generation = await loadPending(deps, input.generationId);
  if (!generation) return { outcome: 'skipped' };
  if (await isErased(deps.db, generation.userId)) {
    await deleteGeneration(deps.db, generation.id);
    deps.logger.info({ generationId: generation.id }, 'generation of an erased user deleted instead of run');
    return { outcome: 'skipped' };
  }
  await markGenerationRunning(deps.db, generation, deps.now());

  const result = await generateDrafts(
    deps.engine,
    {
      source: generation.source,
      count: generation.count,
      tone: generation.tone,
      channel: generation.channel,
      ...(generation.language ? { language: generation.language } : {}),
      seed: generation.id,
    },
    input.signal,
  );
  const log = deps.logger.child({ generationId: generation.id });

  if (result.status === 'failed') {
    const failed = await deps.db.transaction((tx) => failGeneration(tx, generation, { code: result.code, reason: result.reason }, deps.now()));
    if (!failed) return { outcome: 'skipped' };
    deps.metrics.generations.inc({ outcome: 'failed', model: deps.engine.writer?.model ?? offlineModelName });
    log.warn({ code: result.code, reason: result.reason }, 'generation failed');
    return { outcome: 'failed', code: result.code, reason: result.reason };
  }

  const stored = await deps.db.transaction((tx) =>
    completeGeneration(tx, generation, { model: result.model, fallbackReason: result.fallbackReason, drafts: result.drafts }, deps.now()),
  );
  if (!stored) return { outcome: 'skipped' };
  const fallback = result.fallbackReason !== undefined;
  deps.metrics.generations.inc({ outcome: fallback ? 'fallback' : 'completed', model: result.model });
  log.info({ model: result.model, drafts: stored.length, fallback }, 'generation completed');
  return { outcome: 'completed', model: result.model, drafts: stored.length, fallback };
}

/** Fails a generation whose job died for good for a reason other than the model (say the database was down on every try). */
export async function failGenerationAfterCrash(deps: Pick<ThinkerDeps, 'db' | 'now' | 'metrics' | 'engine'>, generationId: string, cause: string): Promise<boolean> {
  const generation = await loadPending(deps, generationId);
  if (!generation) return false;
  const failed = await deps.db.transaction((tx) =>
    failGeneration(tx, generation, { code: 'JOB_FAILED', reason: `The drafts could not be written (${cause})` }, deps.now()),
  );
  if (failed) deps.metrics.generations.inc({ outcome: 'failed', model: deps.engine.writer?.model ?? offlineModelName });
  return failed;
}

async function loadPending(deps: Pick<ThinkerDeps, 'db'>, generationId: string): Promise<GenerationRow | undefined> {
  const generation = await findGeneration(deps.db, generationId);
  if (!generation || (generation.status !== 'queued' && generation.status !== 'running')) return undefined;
  return generation;
}
