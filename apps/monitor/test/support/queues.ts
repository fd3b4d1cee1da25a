import { Queue, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';

/**
 * A BullMQ queue as a service would have it, with one job that failed for real: a worker ran it
 * and it threw. The worker is closed afterwards, so a retried job stays waiting where a test sees it.
 */
export async function queueWithFailedJob(o: { redis: Redis; prefix: string; name: string }): Promise<{ queue: Queue; job: Job }> {
  const queue = new Queue(o.name, { connection: o.redis, prefix: o.prefix });
  const job = await queue.add('render-report', { reportId: 42 }, { attempts: 1 });
  const worker = new Worker(
    o.name,
    async () => {
      throw new Error('the report template is missing');
    },
    { connection: o.redis, prefix: o.prefix },
  );
  const failed = new Promise<void>((resolve) => worker.on('failed', () => resolve()));
  await failed;
  await worker.close();
  return { queue, job };
}
