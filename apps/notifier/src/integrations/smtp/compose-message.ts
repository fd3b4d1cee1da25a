import type Mail from 'nodemailer/lib/mailer/index.js';
import { headerSafe, type RenderedEmail } from '../../domain/templates/index.js';
import type { MailAddress } from '../../domain/addresses.js';

export interface ComposeInput {
  from: MailAddress;
  to: MailAddress;
  rendered: RenderedEmail;
  /** Stable per mail (event + template): an attempt retried after a lost answer carries the same Message-ID. */
  mailId: string;
}

/**
 * The message handed to nodemailer. Headers only ever get one-line values, addresses go in as
 * structured objects for nodemailer to encode, and the SMTP envelope is set explicitly, so the
 * server is told to deliver to exactly one validated address whatever the headers say.
 */
export function composeMessage({ from, to, rendered, mailId }: ComposeInput): Mail.Options {
  const domain = from.address.slice(from.address.lastIndexOf('@') + 1);
  const message: Mail.Options = {
    from: { name: headerSafe(from.name, 100), address: from.address },
    to: { name: headerSafe(to.name, 100), address: to.address },
    envelope: { from: from.address, to: [to.address] },
    subject: headerSafe(rendered.subject),
    text: rendered.text,
    html: rendered.html,
    messageId: `<${mailId}@${domain}>`,
    headers: { 'Auto-Submitted': 'auto-generated' },
  };
  if (rendered.unsubscribeUrl) message.list = { unsubscribe: rendered.unsubscribeUrl };
  return message;
}
