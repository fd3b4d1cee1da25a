import net from 'node:net';
import nodemailer, { type Transporter } from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport/index.js';
import { parseSmtpUrl, type SmtpOptions } from './smtp-url.js';

export type MailTransport = Transporter<SMTPTransport.SentMessageInfo>;

type SocketCallback = (error: Error | null, socketOptions?: { connection: net.Socket }) => void;

/**
 * Opens the TCP connection for nodemailer with Nagle's algorithm off. SMTP is a chain of short
 * commands and replies; with Nagle on (nodemailer's default) each one waits out the peer's delayed
 * ACK, and a pooled connection manages about 20 mails/s. For smtps:// nodemailer still wraps
 * this socket in TLS itself.
 */
function connectWithoutNagle(smtp: SmtpOptions) {
  return (_options: unknown, callback: SocketCallback) => {
    let settled = false;
    const socket = net.connect({ host: smtp.host, port: smtp.port ?? (smtp.secure ? 465 : 587) });
    const settle = (error: Error | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.off('error', settle);
      if (error) {
        socket.destroy();
        callback(error);
        return;
      }
      socket.setNoDelay(true);
      socket.setKeepAlive(true);
      callback(null, { connection: socket });
    };
    const timer = setTimeout(
      () => settle(Object.assign(new Error(`Connection timeout after ${smtp.connectionTimeout} ms`), { code: 'ETIMEDOUT' })),
      smtp.connectionTimeout,
    );
    socket.once('connect', () => settle(null));
    socket.on('error', settle);
  };
}

/** A nodemailer transport for SMTP_URL: one connection per mail, or a pool with `?pool=true`. */
export function createMailTransport(smtpUrl: string): MailTransport {
  const smtp = parseSmtpUrl(smtpUrl);
  // The pooled and single-connection transports answer with the same SentMessageInfo.
  return nodemailer.createTransport({ ...smtp, getSocket: connectWithoutNagle(smtp) } as SMTPTransport.Options);
}
