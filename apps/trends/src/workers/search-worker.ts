import { UnrecoverableError, Worker, type ConnectionOptions, type Job } from 'bullmq';
import { GoogleTrendsError } from '../integrations/google/google-trends-error.js';
import { retryDelayMs, type RetryDelayOptions } from './retry-delay.js';
import { jobNames, searchQueueName, type SearchJobData, type WatchRunJobData } from './search-queue.js';
import type { TrendsDeps } from '../use-cases/deps.js';
import { failSearchAfterCrash, processSearch } from '../use-cases/process-search.js';
import { runWatch } from '../use-cases/run-watch.js';

export interface SearchWorkerOptions {
  connection: ConnectionOptions;
  prefix: string;
  /** Jobs processed at once by this process; Google calls are limited separately by the request gate. */
  concurrency: number;
  /** A job whose worker stops renewing its lock (killed, frozen) is taken back after this long. */
  lockDurationMs: number;
  stalledIntervalMs: number;
  /** Times a job may be taken back from a dead worker before it fails. */
  maxStalledCount: number;
  retry: RetryDelayOptions;
}

/** Processes the trends.search queue: searches (one job per search id) and watch runs. */
export function createSearchWorker(deps: TrendsDeps, options: SearchWorkerOptions): Worker {
  const worker = new Worker(
    searchQueueName,
    async (job: Job) => {
      if (job.name === jobNames.watchRun) {
        const { watchId } = job.data as WatchRunJobData;
        return { outcome: await runWatch(deps, { watchId, runKey: job.id ?? `${watchId}:${job.timestamp}` }) };
      }
      if (job.name !== jobNames.search) throw new UnrecoverableError(`unknown job ${job.name}`);
      const data = job.data as SearchJobData;
      const result = await processSearch(deps, {
        searchId: data.searchId,
        attempt: job.attemptsMade + 1,
        maxAttempts: job.opts.attempts ?? 1,
        parts: data.parts ?? {},
        saveParts: async (parts) => {
          await job.updateData({ ...data, parts });
        },
      });
      // The search is marked failed already; failing the job too keeps it visible as failed in Bull Board.
      if (result.outcome === 'failed') throw new UnrecoverableError(result.reason);
      return result;
    },
    {
      connection: options.connection,
      prefix: options.prefix,
      concurrency: options.concurrency,
      lockDuration: options.lockDurationMs,
      stalledInterval: options.stalledIntervalMs,
      maxStalledCount: options.maxStalledCount,
      settings: {
        backoffStrategy: (attemptsMade, _type, error) =>
          retryDelayMs(attemptsMade, options.retry, error instanceof GoogleTrendsError ? error.retryAfterMs : undefined),
      },
    },
  );

  worker.on('failed', (job, error) => {
    if (!job || job.name !== jobNames.search) return;
    const final = error instanceof UnrecoverableError || job.attemptsMade >= (job.opts.attempts ?? 1);
    if (!final) return;
    // Out of attempts for a reason other than Google (say the database was down): the search must not stay pending.
    void failSearchAfterCrash(deps, (job.data as SearchJobData).searchId, error.message).catch((cause: unknown) => {
      deps.logger.error({ err: cause, jobId: job.id }, 'could not mark the search failed; the reconciler will');
    });
  });
  worker.on('error', (error) => deps.logger.error({ err: error }, 'search worker error'));
  return worker;
}
