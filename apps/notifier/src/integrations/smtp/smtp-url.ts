import { z } from 'zod';

/** Nodemailer SMTP options that an SMTP_URL can carry. */
export interface SmtpOptions {
  host: string;
  port?: number;
  secure: boolean;
  auth?: { user: string; pass: string };
  pool: boolean;
  maxConnections?: number;
  maxMessages?: number;
  requireTLS?: boolean;
  ignoreTLS?: boolean;
  tls?: { rejectUnauthorized: boolean };
  name?: string;
  connectionTimeout: number;
  greetingTimeout: number;
  socketTimeout: number;
}

const flag = z.enum(['true', 'false']).transform((value) => value === 'true');
const positiveInt = z.coerce.number().int().positive();

const querySchema = z
  .object({
    pool: flag.default(false),
    maxConnections: positiveInt.optional(),
    maxMessages: positiveInt.optional(),
    requireTLS: flag.optional(),
    ignoreTLS: flag.optional(),
    'tls.rejectUnauthorized': flag.optional(),
    name: z.string().min(1).max(253).optional(),
    // Nodemailer waits minutes by default; a stuck server should fail the attempt and let the queue retry.
    connectionTimeout: positiveInt.default(10_000),
    greetingTimeout: positiveInt.default(10_000),
    socketTimeout: positiveInt.default(30_000),
  })
  .strict();

export class SmtpUrlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SmtpUrlError';
  }
}

/**
 * Reads `smtp://user:pass@host:port?pool=true` (plain, upgraded with STARTTLS when offered) or
 * `smtps://…` (TLS from the first byte). User and password are URL-encoded.
 */
export function parseSmtpUrl(value: string): SmtpOptions {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new SmtpUrlError('is not a URL');
  }
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') throw new SmtpUrlError('must start with smtp:// or smtps://');
  if (!url.hostname) throw new SmtpUrlError('has no host');
  const query = querySchema.safeParse(Object.fromEntries(url.searchParams));
  if (!query.success) {
    throw new SmtpUrlError(query.error.issues.map((issue) => `${issue.path.join('.') || 'query'}: ${issue.message}`).join('; '));
  }
  const { 'tls.rejectUnauthorized': rejectUnauthorized, ...options } = query.data;
  const smtp: SmtpOptions = {
    // WHATWG URL keeps IPv6 literals bracketed; sockets want them bare.
    host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    secure: url.protocol === 'smtps:',
    ...options,
  };
  if (url.port) smtp.port = Number(url.port);
  if (url.username) smtp.auth = { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) };
  if (rejectUnauthorized !== undefined) smtp.tls = { rejectUnauthorized };
  return smtp;
}

/** The URL with its password hidden, for logs. */
export function redactSmtpUrl(value: string): string {
  try {
    const url = new URL(value);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return '(invalid SMTP_URL)';
  }
}
