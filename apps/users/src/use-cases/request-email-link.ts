import { insertEmailLinkRequest } from '../data/email-link-requests.js';
import type { OneTimeTokenPurpose } from '../db/schema.js';
import type { Asked, UsersDeps } from './deps.js';

/**
 * "Send me a link" (forgot password, resend verification): records the request and returns. The
 * same single statement runs whether or not the email has an account, so the answer's timing
 * cannot tell who is registered; the email-link worker does the lookup and the sending
 * (answerEmailLinkRequest).
 */
export async function requestEmailLink(
  deps: Pick<UsersDeps, 'db'>,
  { purpose, email, origin }: { purpose: OneTimeTokenPurpose; email: string } & Asked,
): Promise<void> {
  await insertEmailLinkRequest(deps.db, { purpose, email, correlationId: origin.event.correlationId });
}
