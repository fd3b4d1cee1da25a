export interface BackoffOptions {
  /** The delay before the first retry, before jitter. */
  baseMs: number;
  /** The longest delay, before jitter. */
  maxMs: number;
  /** Never wait less than this (a server's Retry-After, say). */
  atLeastMs?: number;
  random?: () => number;
}

/**
 * Exponential backoff with "equal jitter": retry n (counted from 1) waits between half and all of
 * base·2^(n-1), capped at max, so a fleet of clients that failed together does not retry in lockstep.
 */
export function backoffDelay(retry: number, options: BackoffOptions): number {
  const { baseMs, maxMs, atLeastMs = 0, random = Math.random } = options;
  const exponential = Math.min(maxMs, baseMs * 2 ** Math.max(0, retry - 1));
  const jittered = Math.round(exponential / 2 + (random() * exponential) / 2);
  return Math.max(jittered, atLeastMs);
}
