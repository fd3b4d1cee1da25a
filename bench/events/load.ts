import { setTimeout as sleep } from 'node:timers/promises';
import { now } from './stats.js';

export interface LoadOptions {
  total: number;
  /** Events per second; undefined runs `concurrency` loops back to back. */
  rate: number | undefined;
  concurrency: number;
  /** performance.now() past which no new operation starts. */
  deadline: number;
}

/**
 * Starts `op(i, intendedAt)` for i in 0..total-1. Unbounded: `concurrency` closed loops. Paced: an open
 * loop that starts op i at `start + i/rate` (at most `concurrency` in flight), and passes that intended
 * time so latency counts any lag of the generator itself.
 */
export async function generateLoad(options: LoadOptions, op: (i: number, intendedAt: number) => Promise<void>): Promise<number> {
  const { total, rate, concurrency, deadline } = options;
  let next = 0;
  if (rate === undefined) {
    const loop = async () => {
      while (next < total && now() < deadline) {
        const i = next++;
        await op(i, now());
      }
    };
    await Promise.all(Array.from({ length: concurrency }, loop));
    return next;
  }
  const start = now();
  const inFlight = new Set<Promise<void>>();
  while (next < total && now() < deadline) {
    const due = Math.min(total, Math.floor(((now() - start) * rate) / 1000) + 1);
    while (next < due && inFlight.size < concurrency) {
      const i = next++;
      const work = op(i, start + (i * 1000) / rate).finally(() => inFlight.delete(work));
      inFlight.add(work);
    }
    if (inFlight.size >= concurrency) await Promise.race(inFlight);
    else await sleep(1);
  }
  await Promise.all(inFlight);
  return next;
}
