import { Queue, type ConnectionOptions, type JobsOptions } from 'bullmq';
import type { Schedule } from '../domain/schedule.js';
import type { SearchParts } from '../use-cases/fetch-trend-results.js';

export const searchQueueName = 'trends.search';

export const jobNames = {
  /** Asks Google for one search (job id = search id). */
  search: 'search',
  /** Produced by a watch's job scheduler: starts one search of that watch. */
  watchRun: 'watch-run',
} as const;

export interface SearchJobData {
  searchId: string;
  /** Parts already fetched by earlier attempts, so a retry does not ask Google for them again. */
  parts?: SearchParts;
}

export interface WatchRunJobData {
  watchId: string;
}

/** The backoff type the search worker's backoffStrategy implements (see retry-delay.ts). */
export const googleBackoffType = 'google-jitter';

export interface SearchQueueOptions {
  connection: ConnectionOptions;
  /** BullMQ key prefix; tests give each run its own. */
  prefix: string;
  attempts: number;
  retryBaseDelayMs: number;
}

const schedulerPrefix = 'watch-';

/** The trends.search queue: search jobs and the job schedulers of watches. */
export class SearchQueue {
  readonly queue: Queue;

  constructor(private readonly options: SearchQueueOptions) {
    this.queue = new Queue(searchQueueName, { connection: options.connection, prefix: options.prefix });
    // Failing to reach Redis is reported where it matters (readiness, enqueue), not as an unhandled event.
    this.queue.on('error', () => {});
  }

  get searchJobOptions(): JobsOptions {
    return {
      attempts: this.options.attempts,
      backoff: { type: googleBackoffType, delay: this.options.retryBaseDelayMs },
      removeOnComplete: { age: 24 * 3600, count: 10_000 },
      removeOnFail: { age: 7 * 24 * 3600 },
    };
  }

  /** Idempotent: a search already queued (same job id) is left as it is. */
  async enqueueSearch(searchId: string): Promise<void> {
    const data: SearchJobData = { searchId };
    await this.queue.add(jobNames.search, data, { ...this.searchJobOptions, jobId: searchId });
  }

  /** 'missing' when Redis has no job for the search (never queued, or lost with Redis). */
  async searchJobState(searchId: string): Promise<string> {
    const state = await this.queue.getJobState(searchId);
    return state === 'unknown' ? 'missing' : state;
  }

  async failedReasonOf(searchId: string): Promise<string | undefined> {
    const job = await this.queue.getJob(searchId);
    return job?.failedReason || undefined;
  }

  async removeSearchJob(searchId: string): Promise<void> {
    // A job being processed is locked and cannot be removed; it finds its search gone and stops.
    await this.queue.remove(searchId).catch(() => 0);
  }

  async upsertWatchScheduler(watchId: string, schedule: Schedule): Promise<void> {
    const repeat = schedule.kind === 'interval' ? { every: schedule.everyMs } : { pattern: schedule.pattern, tz: schedule.timezone };
    const data: WatchRunJobData = { watchId };
    await this.queue.upsertJobScheduler(schedulerIdOf(watchId), repeat, {
      name: jobNames.watchRun,
      data,
      opts: { attempts: 5, backoff: { type: 'exponential', delay: 1_000 }, removeOnComplete: { age: 24 * 3600 }, removeOnFail: { age: 7 * 24 * 3600 } },
    });
  }

  async removeWatchScheduler(watchId: string): Promise<void> {
    await this.queue.removeJobScheduler(schedulerIdOf(watchId));
  }

  /** Ids of the watches that have a job scheduler in Redis. */
  async scheduledWatchIds(): Promise<Map<string, { next: number | null }>> {
    const scheduled = new Map<string, { next: number | null }>();
    const pageSize = 500;
    for (let start = 0; ; start += pageSize) {
      const page = await this.queue.getJobSchedulers(start, start + pageSize - 1, true);
      for (const scheduler of page) {
        const id = scheduler.key;
        if (id.startsWith(schedulerPrefix)) scheduled.set(id.slice(schedulerPrefix.length), { next: scheduler.next ?? null });
      }
      if (page.length < pageSize) return scheduled;
    }
  }

  async nextRunOf(watchId: string): Promise<Date | null> {
    const scheduler = await this.queue.getJobScheduler(schedulerIdOf(watchId));
    return scheduler?.next ? new Date(scheduler.next) : null;
  }

  async close(): Promise<void> {
    await this.queue.close();
  }
}

export function schedulerIdOf(watchId: string): string {
  return `${schedulerPrefix}${watchId}`;
}
