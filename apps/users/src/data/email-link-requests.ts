import { asc, eq, lte, sql } from 'drizzle-orm';
import type postgres from 'postgres';
import type { Executor, UsersTransaction } from '../db/client.js';
import { emailLinkRequests, type OneTimeTokenPurpose } from '../db/schema.js';

export type EmailLinkRequestRow = typeof emailLinkRequests.$inferSelect;

/** Channel the email-link worker listens on; a request wakes it at once. */
const emailLinkChannel = 'users_email_link_requests';

/**
 * Records a "send me a link" request and wakes the worker, in one statement: the same statement
 * whatever the email, so the request path's timing cannot tell who is registered.
 */
export async function insertEmailLinkRequest(
  db: Executor,
  request: { purpose: OneTimeTokenPurpose; email: string; correlationId: string },
): Promise<void> {
  await db.execute(sql`
    with request as (
      insert into email_link_requests (purpose, email, correlation_id)
      values (${request.purpose}, ${request.email}, ${request.correlationId})
      returning id
    )
    select pg_notify(${emailLinkChannel}, '') from request`);
}

/**
 * The oldest request that is due, locked for this transaction; requests other transactions hold
 * are skipped, so workers of several instances never take the same one.
 */
export async function lockNextDueEmailLinkRequest(tx: UsersTransaction): Promise<EmailLinkRequestRow | undefined> {
  const [request] = await tx
    .select()
    .from(emailLinkRequests)
    .where(lte(emailLinkRequests.availableAt, sql`now()`))
    .orderBy(asc(emailLinkRequests.availableAt), asc(emailLinkRequests.id))
    .limit(1)
    .for('update', { skipLocked: true });
  return request;
}

export async function deleteEmailLinkRequest(db: Executor, id: number): Promise<void> {
  await db.delete(emailLinkRequests).where(eq(emailLinkRequests.id, id));
}

/** Counts a failed try and makes the request due again after `delayMs` (by the database's clock). */
export async function postponeEmailLinkRequest(db: Executor, o: { id: number; attempts: number; delayMs: number }): Promise<void> {
  await db
    .update(emailLinkRequests)
    .set({ attempts: o.attempts, availableAt: sql`now() + make_interval(secs => ${o.delayMs / 1000})` })
    .where(eq(emailLinkRequests.id, o.id));
}

/** Calls `onRequest` on every new request's notification and `onListening` each time the LISTEN is (re)established. */
export async function listenForEmailLinkRequests(
  sql: postgres.Sql,
  onRequest: () => void,
  onListening: () => void,
): Promise<{ unlisten(): Promise<void> }> {
  return sql.listen(emailLinkChannel, onRequest, onListening);
}
