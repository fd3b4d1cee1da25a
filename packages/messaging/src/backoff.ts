/**
 * Exponential backoff with "equal jitter": half the delay is fixed, half random, so a fleet of
 * clients that lost the broker together does not reconnect in lockstep.
 */
export function backoffDelay(failures: number, minMs: number, maxMs: number, random: () => number = Math.random): number {
  const exponential = Math.min(maxMs, minMs * 2 ** Math.max(0, failures));
  return Math.round(exponential / 2 + (random() * exponential) / 2);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
