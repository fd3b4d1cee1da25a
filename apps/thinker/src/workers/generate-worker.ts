import { backoffDelay } from '@trendcast/core';
import { UnrecoverableError, Worker, type ConnectionOptions, type Job } from 'bullmq';
import type { ThinkerDeps } from '../use-cases/deps.js';
import { failGenerationAfterCrash, processGeneration } from '../use-cases/process-generation.js';
import { generateJobName, generateQueueName, type GenerateJobData } from './generate-queue.js';

export interface GenerateWorkerOptions {
  connection: ConnectionOptions;
  prefix: string;
  concurrency: number;
  /** A job whose worker stops renewing its lock (killed, frozen) is taken back after this long. */
  lockDurationMs: number;
  stalledIntervalMs: number;
  maxStalledCount: number;
  retry: { baseMs: number; maxMs: number };
  autorun?: boolean;
}

/** Processes thinker.generate: one job per generation (job id = generation id). */
export function createGenerateWorker(deps: ThinkerDeps, options: GenerateWorkerOptions): Worker {
  const worker = new Worker(
    generateQueueName,
    async (job: Job, _token?: string, signal?: AbortSignal) => {
      if (job.name !== generateJobName) throw new UnrecoverableError(`unknown job ${job.name}`);
      const { generationId } = job.data as GenerateJobData;
      // The generation is marked failed already when the outcome says so: the job ends there.
      return processGeneration(deps, { generationId, ...(signal ? { signal } : {}) });
    },
    {
      connection: options.connection,
      prefix: options.prefix,
      concurrency: options.concurrency,
      lockDuration: options.lockDurationMs,
      stalledInterval: options.stalledIntervalMs,
      maxStalledCount: options.maxStalledCount,
      autorun: options.autorun ?? true,
      settings: { backoffStrategy: (attemptsMade) => backoffDelay(attemptsMade, options.retry) },
    },
  );

  worker.on('failed', (job, error) => {
    if (!job || job.name !== generateJobName) return;
    const final = error instanceof UnrecoverableError || job.attemptsMade >= (job.opts.attempts ?? 1);
    if (!final) return;
    // Out of tries for a reason other than the model (say the database was down): the generation must not stay pending.
    void failGenerationAfterCrash(deps, (job.data as GenerateJobData).generationId, error.message).catch((cause: unknown) => {
      deps.logger.error({ err: cause, jobId: job.id }, 'could not mark the generation failed; the reconciler will');
    });
  });
  worker.on('error', (error) => deps.logger.error({ err: error }, 'generate worker error'));
  return worker;
}
