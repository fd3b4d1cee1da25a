import { backoffDelay } from '@trendcast/core';
import { and, asc, eq, lte, sql } from 'drizzle-orm';
import type postgres from 'postgres';
import { emailLinkRequests } from '../db/schema.js';
import type { UsersContext } from '../use-cases/context.js';
import { forgotPassword } from '../use-cases/forgot-password.js';
import { emailLinkChannel } from '../use-cases/request-email-link.js';
import { resendVerification } from '../use-cases/resend-verification.js';

interface WorkerLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface EmailLinkWorkerOptions {
  /** Also looks for requests this often, should a notification be missed. */
  pollIntervalMs?: number;
  /** A request whose handling keeps failing is dropped (and logged) after this many tries. */
  maxAttempts?: number;
  /**
   * After a notification, the worker waits a random time up to this long before it works, so its
   * work (more for an existing account) does not land inside the requester's own response time.
   */
  maxSettleMs?: number;
}

/**
 * Handles one waiting request: the account lookup, the cooldown, the token and its event (the
 * existing forgot-password / resend-verification use cases). The row stays locked while it is
 * handled, so workers of several instances never take the same one; it is deleted once handled.
 * A crash between the two leaves the row to be handled again, and the email cooldown keeps that
 * from mailing a second link. Returns false when nothing was waiting.
 */
export async function handleNextEmailLinkRequest(ctx: UsersContext, logger: WorkerLogger, maxAttempts = 5): Promise<boolean> {
  return ctx.db.transaction(async (tx) => {
    const [request] = await tx
      .select()
      .from(emailLinkRequests)
      .where(lte(emailLinkRequests.availableAt, sql`now()`))
      .orderBy(asc(emailLinkRequests.availableAt), asc(emailLinkRequests.id))
      .limit(1)
      .for('update', { skipLocked: true });
    if (!request) return false;
    const origin = { event: { source: 'users', correlationId: request.correlationId }, ip: '' };
    try {
      if (request.purpose === 'reset_password') await forgotPassword(ctx, request.email, origin);
      else await resendVerification(ctx, request.email, origin);
      await tx.delete(emailLinkRequests).where(eq(emailLinkRequests.id, request.id));
    } catch (err) {
      const attempts = request.attempts + 1;
      if (attempts >= maxAttempts) {
        logger.error({ err, requestId: request.id, purpose: request.purpose, attempts }, 'email link request dropped after repeated failures');
        await tx.delete(emailLinkRequests).where(eq(emailLinkRequests.id, request.id));
      } else {
        const delayMs = backoffDelay(attempts, { baseMs: 1_000, maxMs: 60_000 });
        logger.warn({ err, requestId: request.id, purpose: request.purpose, attempts, delayMs }, 'email link request failed; will retry');
        await tx
          .update(emailLinkRequests)
          .set({ attempts, availableAt: sql`now() + make_interval(secs => ${delayMs / 1000})` })
          .where(and(eq(emailLinkRequests.id, request.id)));
      }
    }
    return true;
  });
}

/** Handles every request that is due now (tests call it to make the queue's effect visible). */
export async function drainEmailLinkRequests(ctx: UsersContext, logger: WorkerLogger): Promise<number> {
  let handled = 0;
  while (await handleNextEmailLinkRequest(ctx, logger)) handled += 1;
  return handled;
}

/**
 * Runs the worker: woken by PostgreSQL notifications from the request path, and by a poll as a
 * safety net. Returns the stop function, which waits for the request in hand.
 */
export async function startEmailLinkWorker(
  ctx: UsersContext,
  sqlClient: postgres.Sql,
  logger: WorkerLogger,
  o: EmailLinkWorkerOptions = {},
): Promise<() => Promise<void>> {
  let stopped = false;
  let running: Promise<void> | undefined;
  let again = false;
  const run = (): void => {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = (async () => {
      do {
        again = false;
        while (!stopped && (await handleNextEmailLinkRequest(ctx, logger, o.maxAttempts))) {
          // one request at a time, until none is due
        }
      } while (again && !stopped);
    })()
      .catch((err: unknown) => logger.error({ err }, 'email link worker round failed'))
      .finally(() => {
        running = undefined;
      });
  };
  const maxSettleMs = o.maxSettleMs ?? 250;
  const runSoon = () => {
    setTimeout(run, 50 + Math.random() * Math.max(0, maxSettleMs - 50)).unref();
  };
  const listener = await sqlClient.listen(emailLinkChannel, runSoon, run);
  const timer = setInterval(run, o.pollIntervalMs ?? 5_000);
  timer.unref();
  return async () => {
    stopped = true;
    clearInterval(timer);
    await listener.unlisten();
    await running;
  };
}
