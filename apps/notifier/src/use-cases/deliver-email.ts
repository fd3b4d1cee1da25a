import { EventParseError, parseEvent } from '@trendcast/events';
import { InvalidAddressError, recipientAddress } from '../domain/addresses.js';
import { PermanentDeliveryError, RecipientNotKnownYetError } from '../domain/errors.js';
import { renderTemplate, templateNamed, UnsafeLinkError } from '../domain/templates/index.js';
import { composeMessage } from '../integrations/smtp/compose-message.js';
import { emailJobDataSchema, type EmailOutcome } from '../workers/email-job.js';
import type { NotifierDeps } from './deps.js';

export interface EmailToDeliver {
  /** The queued job's data, checked again here: Redis is outside our process. */
  data: unknown;
  /** Stable id of this mail (the job id), used for its Message-ID. */
  mailId: string;
}

/**
 * Sends one queued mail, deciding at send time (not at queue time) who gets it: a user deleted
 * or opted out meanwhile gets nothing. Throws to have the job retried.
 */
export async function deliverEmail(
  deps: Pick<NotifierDeps, 'recipients' | 'transport' | 'from' | 'templateContext'>,
  { data, mailId }: EmailToDeliver,
): Promise<EmailOutcome> {
  const { template, event } = readJob(data);
  const lookup = await deps.recipients.lookup(event.data.userId);
  if (lookup.status === 'deleted') return { outcome: 'skipped', reason: 'user-deleted' };

  let to: { email: string; displayName: string };
  if (template.recipientFrom === 'event') {
    // Account and security mail go to the address the event names (e.g. the one being verified).
    to = event.data as { email: string; displayName: string };
  } else {
    if (lookup.status === 'unknown') throw new RecipientNotKnownYetError(event.data.userId);
    if (template.optOut && !lookup.recipient.preferences[template.optOut]) return { outcome: 'skipped', reason: 'opted-out' };
    to = lookup.recipient;
  }

  const message = permanentOn([InvalidAddressError, UnsafeLinkError], () =>
    composeMessage({
      from: deps.from,
      to: recipientAddress(to.email, to.displayName),
      rendered: renderTemplate(template, event.data, deps.templateContext, to.displayName),
      mailId,
    }),
  );
  try {
    const info = await deps.transport.sendMail(message);
    return { outcome: 'sent', messageId: info.messageId, response: info.response };
  } catch (error) {
    if (isPermanentSmtpError(error)) throw new PermanentDeliveryError(`SMTP server refused the mail: ${errorMessage(error)}`, { cause: error });
    throw error;
  }
}

function readJob(data: unknown) {
  const job = emailJobDataSchema.safeParse(data);
  if (!job.success) throw new PermanentDeliveryError(`job data is not an email job: ${job.error.message}`);
  const template = templateNamed(job.data.template);
  if (!template) throw new PermanentDeliveryError(`no template named "${job.data.template}"`);
  let event;
  try {
    event = parseEvent(job.data.event);
  } catch (error) {
    if (error instanceof EventParseError) throw new PermanentDeliveryError(`job event is not valid: ${error.message}`, { cause: error });
    throw error;
  }
  if (event.type !== template.eventType) throw new PermanentDeliveryError(`template ${template.name} does not render ${event.type}`);
  // Every mailed event names its user.
  return { template, event: event as typeof event & { data: { userId: string } } };
}

function permanentOn<T>(errors: Array<new (...args: never[]) => Error>, build: () => T): T {
  try {
    return build();
  } catch (error) {
    if (errors.some((type) => error instanceof type)) throw new PermanentDeliveryError(errorMessage(error), { cause: error });
    throw error;
  }
}

/**
 * 5xx replies are final for this mail (no such mailbox, rejected as spam…), except the
 * authentication ones (530, 535): those come from our own configuration, fixed by an operator,
 * after which the retries go through.
 */
function isPermanentSmtpError(error: unknown): boolean {
  const code = (error as { responseCode?: unknown } | null)?.responseCode;
  return typeof code === 'number' && code >= 500 && code < 600 && code !== 530 && code !== 535;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
