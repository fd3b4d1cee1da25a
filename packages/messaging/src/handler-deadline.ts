import { DeadlineExceededError, withDeadline } from '@trendcast/core';

/**
 * Runs a handler with a deadline. Past it, the returned promise rejects with DeadlineExceededError and
 * the handler's signal aborts; the handler itself cannot be stopped from outside and may still finish
 * later (its effect is idempotent, the message has taken the retry path by then).
 */
export async function runWithDeadline(handler: (signal: AbortSignal) => Promise<void>, timeoutMs: number, what: string): Promise<void> {
  const controller = new AbortController();
  try {
    await withDeadline(
      Promise.resolve().then(() => handler(controller.signal)),
      timeoutMs,
      what,
    );
  } catch (error) {
    if (error instanceof DeadlineExceededError) controller.abort(error);
    throw error;
  }
}
