import { Queue, type ConnectionOptions } from 'bullmq';
import type { Redis } from 'ioredis';

export const publishQueueName = 'tweeter.publish';
export const publishJobName = 'publish';

export interface PublishJobData {
  postId: string;
}

/**
 * Removed when done, so the post's id is free for a later job (a retry, a reschedule, the
 * reconciler). A job that throws (the database unreachable) is tried again; after the last try the
 * reconciler finds the post without a job and queues it again.
 */
const jobOptions = { removeOnComplete: true, removeOnFail: true, attempts: 5, backoff: { type: 'exponential', delay: 1_000 } } as const;

export interface PublishQueueOptions {
  connection: ConnectionOptions;
  /** BullMQ key prefix; tests give each run its own. */
  prefix: string;
}

/**
 * The tweeter.publish queue: one delayed job per post, its id the post's id, so enqueueing twice
 * leaves one job. Redis only wakes the worker at the right time; PostgreSQL decides what happens.
 */
export class PublishQueue {
  readonly queue: Queue<PublishJobData>;

  constructor(options: PublishQueueOptions) {
    this.queue = new Queue<PublishJobData>(publishQueueName, { connection: options.connection, prefix: options.prefix });
    // Failing to reach Redis is reported where it matters (readiness, the reconciler), not as an unhandled event.
    this.queue.on('error', () => {});
  }

  /** Idempotent: a post that has a job keeps it (the job re-reads the post when it runs). */
  async enqueue(postId: string, at: Date): Promise<void> {
    await this.queue.add(publishJobName, { postId }, { jobId: postId, delay: Math.max(0, at.getTime() - Date.now()), ...jobOptions });
  }

  async enqueueMany(items: Array<{ postId: string; at: Date }>): Promise<void> {
    if (items.length === 0) return;
    const now = Date.now();
    await this.queue.addBulk(
      items.map(({ postId, at }) => ({
        name: publishJobName,
        data: { postId },
        opts: { jobId: postId, delay: Math.max(0, at.getTime() - now), ...jobOptions },
      })),
    );
  }

  /** Moves the post's job to `at` (a reschedule): a job being processed is left alone and finds the new time itself. */
  async reschedule(postId: string, at: Date): Promise<void> {
    await this.remove(postId);
    await this.enqueue(postId, at);
  }

  async remove(postId: string): Promise<void> {
    await this.queue.remove(postId).catch(() => 0);
  }

  /** The ids among `postIds` that have no job in Redis (never queued, finished, or lost with Redis). */
  async withoutJobs(postIds: readonly string[]): Promise<string[]> {
    if (postIds.length === 0) return [];
    const client = (await this.queue.client) as unknown as Redis;
    const pipeline = client.pipeline();
    for (const id of postIds) pipeline.exists(this.queue.toKey(id));
    const results = (await pipeline.exec()) ?? [];
    return postIds.filter((_, i) => results[i]?.[1] !== 1);
  }

  async close(): Promise<void> {
    await this.queue.close();
  }
}
