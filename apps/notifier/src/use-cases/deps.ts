import type { RecipientStore } from '../data/recipient-store.js';
import type { MailAddress } from '../domain/addresses.js';
import type { TemplateContext } from '../domain/templates/index.js';
import type { MailTransport } from '../integrations/smtp/mail-transport.js';
import type { NotifierMetrics } from '../metrics.js';
import type { EmailQueue } from '../workers/email-queue.js';

/** Everything the use cases need, built once in the composition root (service.ts); each use case is `fn(deps, input)`. */
export interface NotifierDeps {
  /** The recipient projection in Redis. */
  recipients: RecipientStore;
  /** The producer side of `notifier.email`. */
  emails: Pick<EmailQueue, 'enqueue'>;
  transport: Pick<MailTransport, 'sendMail'>;
  from: MailAddress;
  templateContext: TemplateContext;
  metrics: NotifierMetrics;
  /**
   * Events older than this are not mailed. It equals how long sent jobs are kept, so an event
   * young enough to be mailed is always young enough for its earlier job to still dedupe it.
   */
  maxEventAgeMs: number;
  /** Milliseconds since the epoch; tests move it. */
  now: () => number;
}
