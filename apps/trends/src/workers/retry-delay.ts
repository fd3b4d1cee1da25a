export interface RetryDelayOptions {
  baseMs: number;
  maxMs: number;
}

/**
 * Exponential backoff with "equal jitter": attempt n waits between half and all of base·2^(n-1)
 * (capped), so retries of many searches spread out instead of hitting Google together; never
 * sooner than Google's Retry-After when it sent one.
 */
export function retryDelayMs(
  attemptsMade: number,
  options: RetryDelayOptions,
  retryAfterMs?: number,
  random: () => number = Math.random,
): number {
  const exponential = Math.min(options.maxMs, options.baseMs * 2 ** Math.max(0, attemptsMade - 1));
  const jittered = Math.round(exponential / 2 + random() * (exponential / 2));
  return Math.max(jittered, retryAfterMs ?? 0);
}
