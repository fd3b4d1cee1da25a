import { sql } from 'drizzle-orm';
import type { OneTimeTokenPurpose } from '../db/schema.js';
import type { RequestOrigin, UsersContext } from './context.js';

/** Channel the email-link worker listens on; a request wakes it at once. */
export const emailLinkChannel = 'users_email_link_requests';

/**
 * "Send me a link" (forgot password, resend verification): records the request and returns. The
 * same single statement runs whether or not the email has an account, so the answer's timing
 * cannot tell who is registered; the email-link worker does the lookup and the sending.
 */
export async function requestEmailLink(
  ctx: Pick<UsersContext, 'db'>,
  purpose: OneTimeTokenPurpose,
  email: string,
  origin: RequestOrigin,
): Promise<void> {
  await ctx.db.execute(sql`
    with request as (
      insert into email_link_requests (purpose, email, correlation_id)
      values (${purpose}, ${email}, ${origin.event.correlationId})
      returning id
    )
    select pg_notify(${emailLinkChannel}, '') from request`);
}
