import { sleep, testEnv, uniqueName } from '@trendcast/testing';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisRequestGate } from '../src/data/redis-request-gate.js';
import { GateWaitTimeout } from '../src/integrations/google/request-gate.js';

describe('RedisRequestGate', () => {
  // Two connections stand for two worker processes sharing one limit.
  let first: Redis;
  let second: Redis;

  beforeAll(() => {
    first = new Redis(testEnv.redisUrl);
    second = new Redis(testEnv.redisUrl);
  });

  afterAll(() => {
    first.disconnect();
    second.disconnect();
  });

  function gates(maxConcurrent: number, extra: { leaseMs?: number } = {}) {
    const key = uniqueName('gate');
    const options = { key, maxConcurrent, minIntervalMs: 0, leaseMs: extra.leaseMs ?? 10_000, pollMs: 10 };
    return [new RedisRequestGate({ ...options, redis: first }), new RedisRequestGate({ ...options, redis: second })] as const;
  }

  it('when two processes call at once with a limit of one, then the calls never overlap', async () => {
    const [a, b] = gates(1);
    let inFlight = 0;
    let mostInFlight = 0;
    const task = async () => {
      inFlight += 1;
      mostInFlight = Math.max(mostInFlight, inFlight);
      await sleep(15);
      inFlight -= 1;
    };

    await Promise.all(Array.from({ length: 8 }, (_, i) => (i % 2 === 0 ? a : b).run(task)));

    expect(mostInFlight).toBe(1);
  });

  it('when the limit is two, then two calls may run together but never three', async () => {
    const [a, b] = gates(2);
    let inFlight = 0;
    let mostInFlight = 0;
    const task = async () => {
      inFlight += 1;
      mostInFlight = Math.max(mostInFlight, inFlight);
      await sleep(30);
      inFlight -= 1;
    };

    await Promise.all(Array.from({ length: 9 }, (_, i) => (i % 2 === 0 ? a : b).run(task)));

    expect(mostInFlight).toBe(2);
  });

  it('when a task throws, then its permit is given back', async () => {
    const [a, b] = gates(1);

    await expect(a.run(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');

    await expect(b.run(async () => 'next', { maxWaitMs: 1_000 })).resolves.toBe('next');
  });

  it('when a cooldown is set, then a caller that may not wait that long is refused', async () => {
    const [a, b] = gates(1);

    await a.cooldown(60_000);

    await expect(b.run(async () => 'too early', { maxWaitMs: 200 })).rejects.toBeInstanceOf(GateWaitTimeout);
  });

  it('when a holder dies without giving the permit back, then its lease runs out and others go on', async () => {
    const [a, b] = gates(1, { leaseMs: 300 });
    // A permit taken and never returned: the task never settles, like a process killed mid-call.
    void a.run(() => new Promise(() => {}));
    await sleep(50);

    await expect(b.run(async () => 'after the lease', { maxWaitMs: 5_000 })).resolves.toBe('after the lease');
  });
});
