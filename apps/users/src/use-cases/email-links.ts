import { createEvent } from '@trendcast/events';
import { insertOneTimeToken, lastIssuedAt, retireOneTimeTokens } from '../data/one-time-tokens.js';
import type { UserRow } from '../db/schema.js';
import { generateOpaqueToken, hashOpaqueToken } from '../security/opaque-tokens.js';
import { linkTo, secondsFrom, type RequestOrigin, type UsersDeps } from './deps.js';

type LinkPurpose = 'verify_email' | 'reset_password';

const links = {
  verify_email: { path: 'verify-email', ttl: (deps: UsersDeps) => deps.settings.verifyEmailTtlSeconds },
  reset_password: { path: 'reset-password', ttl: (deps: UsersDeps) => deps.settings.passwordResetTtlSeconds },
} as const;

/**
 * Issues a new single-use link (retiring the older ones) and the event that gets it mailed,
 * in one transaction. Skipped while the previous link is younger than the cooldown, so nobody
 * can flood an inbox through these public endpoints. Returns whether a link was sent.
 */
export async function sendEmailLink(
  deps: UsersDeps,
  user: UserRow,
  purpose: LinkPurpose,
  origin: RequestOrigin,
): Promise<boolean> {
  const now = new Date();
  const previous = await lastIssuedAt(deps.db, user.id, purpose);
  if (previous && now.getTime() - previous.getTime() < deps.settings.emailCooldownSeconds * 1000) return false;

  const token = generateOpaqueToken();
  const link = links[purpose];
  const expiresAt = secondsFrom(now, link.ttl(deps));
  const about = { userId: user.id, email: user.email, displayName: user.displayName };
  const url = linkTo(deps.settings, link.path, token);
  const event =
    purpose === 'verify_email'
      ? createEvent('users.email_verification.requested', { ...about, verifyUrl: url, expiresAt: expiresAt.toISOString() }, origin.event)
      : createEvent('users.password_reset.requested', { ...about, resetUrl: url, expiresAt: expiresAt.toISOString() }, origin.event);

  await deps.db.transaction(async (tx) => {
    await retireOneTimeTokens(tx, user.id, purpose, now);
    await insertOneTimeToken(tx, { userId: user.id, purpose, tokenHash: hashOpaqueToken(token), createdAt: now, expiresAt });
    await deps.recordEvents(tx, [event]);
  });
  return true;
}
