import type { DomainEvent } from '@trendcast/events';
import type { Logger } from '@trendcast/service-kit';
import type { EmailQueue } from '../email/email-queue.js';
import { templatesFor } from '../templates/index.js';

export interface QueueEmailsDeps {
  emails: Pick<EmailQueue, 'enqueue'>;
  /**
   * Events older than this are not mailed. It equals how long sent jobs are kept, so an event
   * young enough to be mailed is always young enough for its earlier job to still dedupe it.
   */
  maxEventAgeMs: number;
  now?: () => number;
}

type MessagingLike = Pick<Logger, 'info' | 'warn'>;

/** Queues one job per mail the event causes; the jobs decide at send time who gets what. */
export function createEmailScheduling(deps: QueueEmailsDeps) {
  const now = deps.now ?? Date.now;
  return async function queueEmailsFor(event: DomainEvent, logger: MessagingLike): Promise<string[]> {
    const ageMs = now() - Date.parse(event.occurredAt);
    if (ageMs > deps.maxEventAgeMs) {
      logger.warn({ ageMs, maxEventAgeMs: deps.maxEventAgeMs }, 'event too old to mail; acknowledging it without a mail');
      return [];
    }
    const jobIds: string[] = [];
    for (const template of templatesFor(event.type)) {
      jobIds.push(await deps.emails.enqueue(template.name, event));
    }
    if (jobIds.length > 0) logger.info({ jobIds }, 'mail queued');
    return jobIds;
  };
}

export type QueueEmails = ReturnType<typeof createEmailScheduling>;
