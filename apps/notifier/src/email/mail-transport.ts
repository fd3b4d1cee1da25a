import nodemailer, { type Transporter } from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport/index.js';
import { parseSmtpUrl } from './smtp-url.js';

export type MailTransport = Transporter<SMTPTransport.SentMessageInfo>;

/** A nodemailer transport for SMTP_URL: one connection per mail, or a pool with `?pool=true`. */
export function createMailTransport(smtpUrl: string): MailTransport {
  // The pooled and single-connection transports answer with the same SentMessageInfo.
  return nodemailer.createTransport(parseSmtpUrl(smtpUrl) as SMTPTransport.Options);
}
