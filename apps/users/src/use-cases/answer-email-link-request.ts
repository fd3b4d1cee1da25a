import { backoffDelay } from '@trendcast/core';
import {
  deleteEmailLinkRequest,
  lockNextDueEmailLinkRequest,
  postponeEmailLinkRequest,
} from '../data/email-link-requests.js';
import type { UsersDeps } from './deps.js';
import { forgotPassword } from './forgot-password.js';
import { resendVerification } from './resend-verification.js';

/**
 * Answers the oldest waiting "send me a link" request: the account lookup, the cooldown, the token
 * and its event (the forgot-password / resend-verification use cases). The row stays locked while
 * it is handled, so workers of several instances never take the same one; it is deleted once
 * handled. A crash between the two leaves the row to be handled again, and the email cooldown
 * keeps that from mailing a second link. A failure is retried with backoff; after `maxAttempts`
 * tries the request is dropped and logged. Returns false when nothing was waiting.
 */
export async function answerNextEmailLinkRequest(deps: UsersDeps, { maxAttempts = 5 }: { maxAttempts?: number } = {}): Promise<boolean> {
  return deps.db.transaction(async (tx) => {
    const request = await lockNextDueEmailLinkRequest(tx);
    if (!request) return false;
    const origin = { event: { source: 'users', correlationId: request.correlationId }, ip: '' };
    try {
      if (request.purpose === 'reset_password') await forgotPassword(deps, { email: request.email, origin });
      else await resendVerification(deps, { email: request.email, origin });
      await deleteEmailLinkRequest(tx, request.id);
    } catch (err) {
      const attempts = request.attempts + 1;
      const about = { err, requestId: request.id, purpose: request.purpose, attempts };
      if (attempts >= maxAttempts) {
        deps.logger.error(about, 'email link request dropped after repeated failures');
        await deleteEmailLinkRequest(tx, request.id);
      } else {
        const delayMs = backoffDelay(attempts, { baseMs: 1_000, maxMs: 60_000 });
        deps.logger.warn({ ...about, delayMs }, 'email link request failed; will retry');
        await postponeEmailLinkRequest(tx, { id: request.id, attempts, delayMs });
      }
    }
    return true;
  });
}
