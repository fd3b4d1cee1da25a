import { DelayedError, Worker, type ConnectionOptions, type Job } from 'bullmq';
import type { TweeterDeps } from '../use-cases/deps.js';
import { publishPost } from '../use-cases/publish-post.js';
import { publishJobName, publishQueueName, type PublishJobData } from './publish-queue.js';

export interface PublishWorkerOptions {
  connection: ConnectionOptions;
  prefix: string;
  /** Publish steps this process runs at once (per channel, PUBLISH_CHANNEL_CONCURRENCY bounds them too). */
  concurrency: number;
  /** A job whose worker stops renewing its lock (killed, frozen) is taken back after this long. */
  lockDurationMs: number;
  stalledIntervalMs: number;
}

/**
 * Processes tweeter.publish: one job per post, one publish step per run. When the step says "not
 * yet" (not due, held by another worker's claim, channel paused or busy, a retry later) the same
 * job moves back to delayed until then, so the post keeps one job under its own id.
 */
export function createPublishWorker(deps: TweeterDeps, options: PublishWorkerOptions): Worker<PublishJobData> {
  const worker = new Worker<PublishJobData>(
    publishQueueName,
    async (job: Job<PublishJobData>, token?: string) => {
      if (job.name !== publishJobName) return { outcome: 'ignored' };
      const result = await publishPost(deps, { postId: job.data.postId });
      if (result.outcome === 'wait') {
        await job.moveToDelayed(Math.max(result.until.getTime(), Date.now() + 1), token);
        throw new DelayedError();
      }
      return result;
    },
    {
      connection: options.connection,
      prefix: options.prefix,
      concurrency: options.concurrency,
      lockDuration: options.lockDurationMs,
      stalledInterval: options.stalledIntervalMs,
      // A job taken back from a dead worker runs again; the post's claim in PostgreSQL decides what that does.
      maxStalledCount: 1_000,
      autorun: false,
    },
  );
  worker.on('error', (error) => deps.logger.error({ err: error }, 'publish worker error'));
  return worker;
}
