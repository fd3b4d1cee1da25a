import { randomUUID } from 'node:crypto';
import nodemailer from 'nodemailer';
import { createMailTransport } from '../../apps/notifier/src/integrations/smtp/mail-transport.js';
import type { SmtpCapture } from '../../apps/notifier/test/support/smtp-capture.js';
import { mailIdOf, now, offerLoad, summarize, type PhaseResult } from './stats.js';

/**
 * Mails straight to the SMTP server, no queue and no events, with as many in flight as the
 * pipeline's worker concurrency. `nodemailer`: its own defaults (Nagle's algorithm on);
 * `transport`: the notifier's transport (Nagle off), the ceiling of the pipeline's SMTP leg.
 */
export async function runSmtpBaseline(o: {
  client: 'nodemailer' | 'transport';
  smtp: SmtpCapture;
  smtpUrl: string;
  mails: number;
  concurrency: number;
  deadline: number;
}): Promise<PhaseResult> {
  const transport = o.client === 'nodemailer' ? nodemailer.createTransport(o.smtpUrl) : createMailTransport(o.smtpUrl);
  const startedAtById = new Map<string, number>();
  const latencies: number[] = [];
  let lastAt = now();
  o.smtp.onAccepted = (mail) => {
    const started = startedAtById.get(mailIdOf(mail.raw) ?? '');
    if (started === undefined) return;
    lastAt = mail.acceptedAt;
    latencies.push(mail.acceptedAt - started);
  };
  const html = `<p>${'Pizza is rising! '.repeat(40)}</p>`;
  const startedAt = now();
  try {
    await offerLoad({ total: o.mails, concurrency: o.concurrency, deadline: o.deadline }, async (_i, intendedAt) => {
      const id = `${randomUUID()}.baseline`;
      startedAtById.set(id, intendedAt);
      await transport.sendMail({
        from: 'Trendcast <no-reply@trendcast.test>',
        to: 'ada@example.com',
        subject: 'Your 3 new drafts are ready to review',
        text: html.replace(/<[^>]+>/g, ''),
        html,
        messageId: `<${id}@trendcast.test>`,
      });
    });
  } finally {
    transport.close();
    o.smtp.onAccepted = undefined;
  }
  return summarize({ phase: o.client === 'nodemailer' ? 'smtp: nodemailer defaults' : 'smtp: notifier transport', offered: `${o.concurrency} in flight`, expected: o.mails, latenciesMs: latencies, startedAt, lastAt });
}
