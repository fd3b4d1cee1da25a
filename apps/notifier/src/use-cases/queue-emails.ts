import type { Logger } from '@trendcast/core';
import type { DomainEvent } from '@trendcast/events';
import { templatesFor } from '../domain/templates/index.js';
import type { NotifierDeps } from './deps.js';

/** Queues one job per mail the event causes; the jobs decide at send time who gets what. Returns the job ids. */
export async function queueEmails(
  deps: Pick<NotifierDeps, 'emails' | 'maxEventAgeMs' | 'now'>,
  { event, logger }: { event: DomainEvent; logger: Logger },
): Promise<string[]> {
  const ageMs = deps.now() - Date.parse(event.occurredAt);
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
}
