import { createHash, randomBytes } from 'node:crypto';

/** 256 random bits, URL-safe: refresh tokens and the tokens in verification and reset links. */
export function generateOpaqueToken(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * Only this digest is stored. The tokens carry 256 bits of entropy, so a fast unsalted hash is
 * enough: a leaked table gives nothing to guess, and lookups stay a plain index hit.
 */
export function hashOpaqueToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}
