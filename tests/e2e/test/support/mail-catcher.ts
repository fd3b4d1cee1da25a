import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface CaughtMail {
  to: string[];
  subject: string;
  text: string;
  html: string;
  headers: Map<string, unknown>;
}

export interface MailCatcher {
  url: string;
  mails: CaughtMail[];
  /** The first mail (caught already or arriving later) to `to` whose subject matches. */
  waitFor(o: { to: string; subject: RegExp; timeoutMs?: number; after?: number }): Promise<CaughtMail>;
  close(): Promise<void>;
}

/** Every absolute link in a mail's text part. */
export function linksIn(mail: CaughtMail): URL[] {
  return [...mail.text.matchAll(/https?:\/\/[^\s<>")]+/g)].map((match) => new URL(match[0]));
}

/** The link in a mail whose path is `path` (the query, e.g. the token, kept). */
export function linkTo(mail: CaughtMail, path: string): URL {
  const link = linksIn(mail).find((url) => url.pathname === path);
  if (!link) throw new Error(`no link to ${path} in "${mail.subject}":\n${mail.text}`);
  return link;
}

/** A real SMTP server on loopback that the notifier sends to, kept in memory for the test to read. */
export async function startMailCatcher(): Promise<MailCatcher> {
  const mails: CaughtMail[] = [];
  const waiters = new Set<() => void>();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    disableReverseLookup: true,
    closeTimeout: 50,
    onData(stream, session, callback) {
      simpleParser(stream).then(
        (parsed: ParsedMail) => {
          mails.push({
            to: session.envelope.rcptTo.map((address) => address.address.toLowerCase()),
            subject: parsed.subject ?? '',
            text: parsed.text ?? '',
            html: typeof parsed.html === 'string' ? parsed.html : '',
            headers: parsed.headers,
          });
          for (const wake of waiters) wake();
          callback();
        },
        (error: Error) => callback(error),
      );
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    mails,
    async waitFor({ to, subject, timeoutMs = 30_000, after = 0 }) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = mails.slice(after).find((mail) => mail.to.includes(to.toLowerCase()) && subject.test(mail.subject));
        if (found) return found;
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`no mail to ${to} matching ${subject} within ${timeoutMs} ms; caught: ${mails.map((m) => `${m.to.join(',')}: ${m.subject}`).join(' | ') || 'none'}`);
        await new Promise<void>((resolve) => {
          const done = () => {
            clearTimeout(timer);
            waiters.delete(done);
            resolve();
          };
          const timer = setTimeout(done, left);
          waiters.add(done);
        });
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
