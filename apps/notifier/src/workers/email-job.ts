import type { DomainEvent } from '@trendcast/events';
import { z } from 'zod';

export const emailQueueName = 'notifier.email';

/** A queued mail: which template, for which event. The worker renders it when it sends. */
export interface EmailJobData {
  template: string;
  event: DomainEvent;
}

/** What a sent job keeps once done: enough to trace it, no address and no content. */
export interface SentEmailJobData {
  template: string;
  eventId: string;
  eventType: string;
  sentAt: string;
}

export const emailJobDataSchema = z.object({
  template: z.string().min(1).max(100),
  event: z.unknown(),
});

/**
 * One job per (event, template): BullMQ will not add a job whose id exists, so an event
 * delivered twice queues one mail. (BullMQ forbids ':' in custom ids.)
 */
export function emailJobId(eventId: string, template: string): string {
  return `${eventId}.${template}`;
}

export type EmailOutcome =
  | { outcome: 'sent'; messageId: string; response: string }
  | { outcome: 'skipped'; reason: 'opted-out' | 'user-deleted' };
