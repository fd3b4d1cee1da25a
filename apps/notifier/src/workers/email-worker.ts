import { UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Logger } from '@trendcast/core';
import type { Redis } from 'ioredis';
import { PermanentDeliveryError } from '../domain/errors.js';
import { deliverEmail } from '../use-cases/deliver-email.js';
import type { NotifierDeps } from '../use-cases/deps.js';
import { emailQueueName, type EmailJobData, type EmailOutcome, type SentEmailJobData } from './email-job.js';

export interface EmailWorkerOptions {
  /** Must be created with `maxRetriesPerRequest: null`: a worker blocks on Redis. */
  connection: Redis;
  prefix: string;
  concurrency: number;
  /** false: the caller starts it with `worker.run()` once everything else is up. Default true. */
  autorun?: boolean;
  deps: NotifierDeps;
  logger: Logger;
}

type EmailJob = Job<EmailJobData | SentEmailJobData, EmailOutcome>;

/** Works `notifier.email`: each job sends one mail; a thrown error retries it with the queue's backoff. */
export function createEmailWorker(o: EmailWorkerOptions): Worker<EmailJobData | SentEmailJobData, EmailOutcome> {
  const logger = o.logger.child({ component: 'email-worker' });

  const process = async (job: EmailJob): Promise<EmailOutcome> => {
    const jobLogger = logger.child({ jobId: job.id, template: job.name, attempt: job.attemptsMade + 1, ...eventFields(job.data) });
    let result: EmailOutcome;
    try {
      result = await deliverEmail(o.deps, { data: job.data, mailId: job.id ?? job.name });
    } catch (error) {
      if (error instanceof PermanentDeliveryError) throw new UnrecoverableError(error.message);
      throw error;
    }
    if (result.outcome === 'sent') {
      o.deps.metrics.emails.inc({ template: job.name, outcome: 'sent' });
      const occurredAt = Date.parse((job.data as EmailJobData).event.occurredAt);
      if (!Number.isNaN(occurredAt)) o.deps.metrics.deliverySeconds.observe({ template: job.name }, (Date.now() - occurredAt) / 1000);
      jobLogger.info({ messageId: result.messageId }, 'mail sent');
      await forgetContent(job, jobLogger);
    } else {
      o.deps.metrics.emails.inc({ template: job.name, outcome: result.reason === 'opted-out' ? 'skipped_opted_out' : 'skipped_user_deleted' });
      jobLogger.info({ reason: result.reason }, 'mail skipped');
    }
    return result;
  };

  const worker = new Worker<EmailJobData | SentEmailJobData, EmailOutcome>(emailQueueName, process, {
    connection: o.connection,
    prefix: o.prefix,
    concurrency: o.concurrency,
    autorun: o.autorun ?? true,
  });

  worker.on('failed', (job, error) => {
    if (!job) return;
    const final = error instanceof UnrecoverableError || job.attemptsMade >= (job.opts.attempts ?? 1);
    const fields = { jobId: job.id, template: job.name, attemptsMade: job.attemptsMade, err: error, ...eventFields(job.data) };
    o.deps.metrics.emails.inc({ template: job.name, outcome: final ? 'failed' : 'retried' });
    if (final) logger.error(fields, 'mail failed for good; the job stays in the failed list');
    else logger.warn(fields, 'mail attempt failed; retrying later');
  });
  worker.on('error', (error) => logger.error({ err: error }, 'email worker error'));
  return worker;
}

/**
 * A completed job stays in Redis for days as the dedupe record; it keeps no address and no
 * content. Should this fail, the mail is still sent and the job completes: only the tidying is lost.
 */
async function forgetContent(job: EmailJob, logger: Logger): Promise<void> {
  const data = job.data as EmailJobData;
  const kept: SentEmailJobData = { template: data.template, eventId: data.event.id, eventType: data.event.type, sentAt: new Date().toISOString() };
  try {
    await job.updateData(kept);
  } catch (error) {
    logger.warn({ err: error }, 'could not strip the sent job of its content');
  }
}

function eventFields(data: EmailJobData | SentEmailJobData): Record<string, unknown> {
  if ('event' in data && data.event && typeof data.event === 'object') {
    return { eventId: data.event.id, eventType: data.event.type, correlationId: data.event.correlationId };
  }
  return 'eventId' in data ? { eventId: data.eventId } : {};
}
