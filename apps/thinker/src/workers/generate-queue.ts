import { Queue, type ConnectionOptions, type JobsOptions } from 'bullmq';

export const generateQueueName = 'thinker.generate';
export const generateJobName = 'generate';

export interface GenerateJobData {
  generationId: string;
}

/** The backoff type the generate worker's backoffStrategy implements (core's backoffDelay). */
export const generateBackoffType = 'thinker-jitter';

export interface GenerateQueueOptions {
  connection: ConnectionOptions;
  /** BullMQ key prefix; tests give each run its own. */
  prefix: string;
  attempts: number;
  retryBaseDelayMs: number;
}

/** The producer side of thinker.generate: one job per generation, its id the generation's id. */
export class GenerateQueue {
  readonly queue: Queue;

  constructor(private readonly options: GenerateQueueOptions) {
    this.queue = new Queue(generateQueueName, { connection: options.connection, prefix: options.prefix });
    // Failing to reach Redis is reported where it matters (readiness, enqueue), not as an unhandled event.
    this.queue.on('error', () => {});
  }

  get jobOptions(): JobsOptions {
    return {
      attempts: this.options.attempts,
      backoff: { type: generateBackoffType, delay: this.options.retryBaseDelayMs },
      removeOnComplete: { age: 24 * 3600, count: 10_000 },
      removeOnFail: { age: 7 * 24 * 3600 },
    };
  }

  /** Idempotent: a generation already queued (same job id) is left as it is. */
  async enqueue(generationId: string): Promise<void> {
    const data: GenerateJobData = { generationId };
    await this.queue.add(generateJobName, data, { ...this.jobOptions, jobId: generationId });
  }

  /** 'missing' when Redis has no job for the generation (never queued, or lost with Redis). */
  async jobState(generationId: string): Promise<string> {
    const state = await this.queue.getJobState(generationId);
    return state === 'unknown' ? 'missing' : state;
  }

  async failedReasonOf(generationId: string): Promise<string | undefined> {
    const job = await this.queue.getJob(generationId);
    return job?.failedReason || undefined;
  }

  async remove(generationId: string): Promise<void> {
    // A job being processed is locked and cannot be removed; it finds its generation gone and stops.
    await this.queue.remove(generationId).catch(() => 0);
  }

  async close(): Promise<void> {
    await this.queue.close();
  }
}
