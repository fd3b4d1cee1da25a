import { describe, expect, it } from 'vitest';
import { DeadlineExceededError, sleep, withDeadline } from '../src/index.js';

describe('withDeadline', () => {
  it('when the work finishes in time, then its value comes through', async () => {
    await expect(withDeadline(sleep(5).then(() => 'done'), 1_000, 'quick work')).resolves.toBe('done');
  });

  it('when the work is too slow, then it fails with a named deadline error', async () => {
    const outcome = withDeadline(new Promise(() => {}), 20, 'declaring queue orders');
    await expect(outcome).rejects.toBeInstanceOf(DeadlineExceededError);
    await expect(outcome).rejects.toThrow('declaring queue orders did not finish within 20 ms');
  });

  it('when the work fails in time, then its own error comes through', async () => {
    await expect(withDeadline(Promise.reject(new Error('refused')), 1_000, 'x')).rejects.toThrow('refused');
  });
});

describe('sleep', () => {
  it('when its signal aborts, then it resolves early', async () => {
    const controller = new AbortController();
    const started = Date.now();
    const slept = sleep(10_000, controller.signal);
    controller.abort();
    await slept;
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});
