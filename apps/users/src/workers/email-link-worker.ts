import type postgres from 'postgres';
import { listenForEmailLinkRequests } from '../data/email-link-requests.js';
import { answerNextEmailLinkRequest } from '../use-cases/answer-email-link-request.js';
import type { UsersDeps } from '../use-cases/deps.js';

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

/** Answers every request that is due now (tests call it to make the queue's effect visible). */
export async function drainEmailLinkRequests(deps: UsersDeps): Promise<number> {
  let handled = 0;
  while (await answerNextEmailLinkRequest(deps)) handled += 1;
  return handled;
}

/**
 * Runs the worker: woken by PostgreSQL notifications from the request path, and by a poll as a
 * safety net. Returns the stop function, which waits for the request in hand.
 */
export async function startEmailLinkWorker(
  deps: UsersDeps,
  sql: postgres.Sql,
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
        while (!stopped && (await answerNextEmailLinkRequest(deps, { maxAttempts: o.maxAttempts }))) {
          // one request at a time, until none is due
        }
      } while (again && !stopped);
    })()
      .catch((err: unknown) => deps.logger.error({ err }, 'email link worker round failed'))
      .finally(() => {
        running = undefined;
      });
  };
  const maxSettleMs = o.maxSettleMs ?? 250;
  const runSoon = () => {
    setTimeout(run, 50 + Math.random() * Math.max(0, maxSettleMs - 50)).unref();
  };
  const listener = await listenForEmailLinkRequests(sql, runSoon, run);
  const timer = setInterval(run, o.pollIntervalMs ?? 5_000);
  timer.unref();
  return async () => {
    stopped = true;
    clearInterval(timer);
    await listener.unlisten();
    await running;
  };
}
