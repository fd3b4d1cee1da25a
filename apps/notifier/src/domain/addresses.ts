import { z } from 'zod';
import { headerSafe } from './templates/index.js';

const emailAddressSchema = z.email().max(254);

export interface MailAddress {
  name: string;
  address: string;
}

export class InvalidAddressError extends Error {
  constructor(what: string) {
    super(`${what} is not a valid email address`);
    this.name = 'InvalidAddressError';
  }
}

/** An address we are about to write to, checked again here whatever its source promised. */
export function recipientAddress(address: string, displayName: string): MailAddress {
  const parsed = emailAddressSchema.safeParse(address);
  if (!parsed.success) throw new InvalidAddressError('recipient');
  return { address: parsed.data, name: headerSafe(displayName, 100) };
}

/** Reads MAIL_FROM: `Trendcast <no-reply@example.com>` or a bare `no-reply@example.com`. */
export function parseMailFrom(value: string): MailAddress {
  const match = /^\s*(?:"?([^"<>]*?)"?\s*)?<([^<>\s]+)>\s*$/.exec(value);
  const address = match ? match[2] : value.trim();
  const parsed = emailAddressSchema.safeParse(address);
  if (!parsed.success) throw new InvalidAddressError('MAIL_FROM');
  return { address: parsed.data, name: headerSafe(match?.[1] ?? '', 100) };
}
