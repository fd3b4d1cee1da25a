import { backoffDelay } from '@trendcast/core';

export interface RetryDelayOptions {
  baseMs: number;
  maxMs: number;
}

/**
 * The delay before a search's next attempt: exponential backoff with equal jitter (core's
 * backoffDelay), so retries of many searches spread out instead of hitting Google together;
 * never sooner than Google's Retry-After when it sent one.
 */
export function retryDelayMs(
  attemptsMade: number,
  options: RetryDelayOptions,
  retryAfterMs?: number,
  random: () => number = Math.random,
): number {
  return backoffDelay(attemptsMade, { ...options, atLeastMs: retryAfterMs ?? 0, random });
}
