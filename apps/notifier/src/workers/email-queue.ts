import type { DomainEvent } from '@trendcast/events';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { emailJobId, emailQueueName, type EmailJobData } from './email-job.js';

export interface EmailQueueOptions {
  connection: Redis;
  prefix: string;
  attempts: number;
  backoffMs: number;
  keepCompletedSeconds: number;
  keepFailedSeconds: number;
}

/** The producer side of `notifier.email`: one job per mail, deduplicated by id. */
export class EmailQueue {
  readonly queue: Queue<EmailJobData>;

  constructor(private readonly options: EmailQueueOptions) {
    this.queue = new Queue<EmailJobData>(emailQueueName, {
      connection: options.connection,
      prefix: options.prefix,
      defaultJobOptions: {
        attempts: options.attempts,
        backoff: { type: 'exponential', delay: options.backoffMs },
        // A completed job is the dedupe record: keep it as long as a redelivery is plausible.
        removeOnComplete: { age: options.keepCompletedSeconds },
        // A mail that failed for good stays for an operator to see and retry.
        removeOnFail: { age: options.keepFailedSeconds },
      },
    });
  }

  /** Queues `template` for `event`; a second call for the same pair changes nothing. Returns the job id. */
  async enqueue(template: string, event: DomainEvent): Promise<string> {
    const jobId = emailJobId(event.id, template);
    await this.queue.add(template, { template, event }, { jobId });
    return jobId;
  }

  async close(): Promise<void> {
    await this.queue.close();
  }
}
