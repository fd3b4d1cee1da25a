import { describe, expect, it } from 'vitest';
import { createLogger, shutdownBudget, shutdownShares, stopWithin } from '../src/index.js';
import { captureLogs } from './support/log-capture.js';

describe('shutdownBudget', () => {
  it('when SHUTDOWN_TIMEOUT_MS is the default 25 s, then the standard steps get 4, 7, 1, 4, 2, 2 and 3 s, leaving 2 s for the service\'s own', () => {
    const budget = shutdownBudget(25_000);

    expect({ ...budget, share: undefined }).toEqual({
      totalMs: 25_000,
      http: 4_000,
      consumers: 7_000,
      pruner: 1_000,
      relay: 4_000,
      publisher: 2_000,
      connections: 2_000,
      database: 3_000,
      share: undefined,
    });
    expect(budget.share(0.08)).toBe(2_000);
  });

  it('when the budget is any size, then the standard steps together fit inside it with room for the service\'s own steps', () => {
    for (const totalMs of [1, 999, 8_000, 10_000, 25_000, 120_000]) {
      const budget = shutdownBudget(totalMs);
      const standard = (Object.keys(shutdownShares) as Array<keyof typeof shutdownShares>).reduce((sum, step) => sum + budget[step], 0);
      expect(standard).toBeLessThanOrEqual(totalMs * 0.92);
    }
  });

  it('when the budget is not positive, then it is refused', () => {
    expect(() => shutdownBudget(0)).toThrow(RangeError);
  });
});

describe('stopWithin', () => {
  it('when a stop honours the timeout it is given, then it runs to its end', async () => {
    const logs = captureLogs();
    const given: number[] = [];
    const [name, stop] = stopWithin('relay', 300, async (timeoutMs) => void given.push(timeoutMs), createLogger({ service: 'svc', destination: logs.stream }));

    await stop();

    expect(name).toBe('relay');
    expect(given).toEqual([300]);
    expect(logs.lines().some((line) => line.level === 'warn')).toBe(false);
  });

  it('when a stop overruns its timeout, then it is left behind with a warning and the step ends at the timeout', async () => {
    const logs = captureLogs();
    const [, stop] = stopWithin('relay', 200, () => new Promise(() => undefined), createLogger({ service: 'svc', destination: logs.stream }));
    const began = performance.now();

    await stop();

    expect(performance.now() - began).toBeGreaterThanOrEqual(190);
    expect(performance.now() - began).toBeLessThan(1_000);
    expect(logs.lines().find((line) => line.level === 'warn')).toMatchObject({ stop: 'relay', timeoutMs: 200, msg: 'relay did not stop within 200 ms; going on without it' });
  });

  it('when a stop fails, then the step fails with its error (the shutdown then says it was not clean)', async () => {
    const [, stop] = stopWithin('relay', 200, async () => Promise.reject(new Error('broken')), createLogger({ service: 'svc', destination: captureLogs().stream }));

    await expect(stop()).rejects.toThrow('broken');
  });
});
