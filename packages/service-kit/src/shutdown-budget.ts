import { DeadlineExceededError, withDeadline, type Logger } from '@trendcast/core';
import type { Stop } from './shutdown.js';

/**
 * The share of SHUTDOWN_TIMEOUT_MS each standard stop step may take. Every one is bounded, so
 * whatever the broker does the steps after them still run: at the default 25 s, HTTP 4 s, event
 * consumers 7 s, inbox pruner 1 s, outbox relay 4 s, publisher 2 s, broker connections 2 s,
 * database 3 s; the 2 s left are for the service's own steps (workers, Redis).
 */
export const shutdownShares = {
  http: 0.16,
  consumers: 0.28,
  pruner: 0.04,
  relay: 0.16,
  publisher: 0.08,
  connections: 0.08,
  database: 0.12,
} as const;

export type ShutdownBudget = { readonly [Step in keyof typeof shutdownShares]: number } & {
  readonly totalMs: number;
  /** Milliseconds for a step of the service's own: `fraction` of the whole. */
  share(fraction: number): number;
};

/** Hands out SHUTDOWN_TIMEOUT_MS (`totalMs`) in milliseconds per stop step, by `shutdownShares`. */
export function shutdownBudget(totalMs: number): ShutdownBudget {
  if (!(totalMs > 0)) throw new RangeError('the shutdown budget must be positive');
  const share = (fraction: number) => Math.floor(totalMs * fraction);
  const shares = Object.fromEntries(Object.entries(shutdownShares).map(([step, fraction]) => [step, share(fraction)]));
  return { ...(shares as { [Step in keyof typeof shutdownShares]: number }), totalMs, share };
}

/**
 * A stop step given `timeoutMs`, passed to its own stop, and held to it: a stop that overruns is
 * left behind with a warning, so the steps after it (the database's close above all) still run.
 */
export function stopWithin(name: string, timeoutMs: number, stop: (timeoutMs: number) => Promise<unknown>, logger: Logger): Stop {
  return [
    name,
    async () => {
      try {
        await withDeadline(Promise.resolve().then(() => stop(timeoutMs)), timeoutMs, `stopping ${name}`);
      } catch (error) {
        if (!(error instanceof DeadlineExceededError)) throw error;
        logger.warn({ stop: name, timeoutMs }, `${name} did not stop within ${timeoutMs} ms; going on without it`);
      }
    },
  ];
}
