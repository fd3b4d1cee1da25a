import { describe, expect, it } from 'vitest';
import { RepeatingRound, sleep, type Logger } from '../src/index.js';

function recordingLogger(): Logger & { warnings: string[] } {
  const warnings: string[] = [];
  const ignore = () => {};
  const logger = {
    warnings,
    debug: ignore,
    info: ignore,
    error: ignore,
    warn: (_bindings: object | string, message?: string) => warnings.push(message ?? String(_bindings)),
    child: () => logger,
  };
  return logger;
}

describe('RepeatingRound', () => {
  it('when rounds take longer than the interval, then two never run at once and they keep coming', async () => {
    let running = 0;
    let most = 0;
    let rounds = 0;
    const loop = new RepeatingRound({
      what: 'test',
      intervalMs: 1,
      logger: recordingLogger(),
      round: async () => {
        running += 1;
        most = Math.max(most, running);
        await sleep(15);
        running -= 1;
        rounds += 1;
      },
    });
    loop.start();
    await Promise.all([loop.runOnce(), loop.runOnce()]);
    await sleep(80);
    await loop.stop();
    expect(most).toBe(1);
    expect(rounds).toBeGreaterThanOrEqual(4);
  });

  it('when a round fails, then it is logged and the next round still runs', async () => {
    const logger = recordingLogger();
    let calls = 0;
    const loop = new RepeatingRound({
      what: 'reconciliation',
      intervalMs: 5,
      logger,
      round: async () => {
        calls += 1;
        if (calls === 1) throw new Error('database away');
      },
    });
    loop.start();
    await sleep(60);
    await loop.stop();
    expect(logger.warnings[0]).toBe('reconciliation round failed; the next round retries');
    expect(calls).toBeGreaterThan(1);
  });

  it('when stopped during a round, then stop waits for it and no round starts afterwards', async () => {
    let finished = false;
    let calls = 0;
    const loop = new RepeatingRound({
      what: 'test',
      intervalMs: 1,
      logger: recordingLogger(),
      round: async () => {
        calls += 1;
        await sleep(30);
        finished = true;
      },
    });
    loop.start();
    await sleep(5);
    await loop.stop();
    expect(finished).toBe(true);
    const after = calls;
    await sleep(30);
    expect(calls).toBe(after);
  });
});
