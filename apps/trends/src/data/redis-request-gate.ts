import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { GateWaitTimeout, type RequestGate } from '../integrations/google/request-gate.js';

export interface RedisRequestGateOptions {
  redis: Redis;
  /** Key prefix; every process sharing it shares the limit. */
  key: string;
  /** Calls in flight at once across all processes (1 = strictly one after another). */
  maxConcurrent: number;
  /** Least time between the end of one call and the start of the next. */
  minIntervalMs: number;
  /** A permit whose holder died is given back after this long. Keep it above the longest call. */
  leaseMs: number;
  /** How often a waiting caller asks again. */
  pollMs?: number;
}

// KEYS[1] = holders (zset token -> lease expiry), KEYS[2] = earliest start allowed (ms)
// ARGV: token, maxConcurrent, minIntervalMs, leaseMs
// Returns 0 when the permit is taken, otherwise how long to wait before asking again (ms).
const acquireScript = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local notBefore = tonumber(redis.call('GET', KEYS[2]) or '0')
if notBefore > now then return notBefore - now end
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then
  local first = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  return math.max(1, tonumber(first[2]) - now)
end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[4]), ARGV[1])
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[4]) * 2)
if tonumber(ARGV[3]) > 0 then
  redis.call('SET', KEYS[2], now + tonumber(ARGV[3]), 'PX', tonumber(ARGV[3]) + 1000)
end
return 0
`;

// KEYS as above; ARGV: token, delayMs (minimum interval after release, or a cooldown)
// Pushes the earliest allowed start to now + delayMs unless it is already later.
const pushBackScript = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
if ARGV[1] ~= '' then redis.call('ZREM', KEYS[1], ARGV[1]) end
local delay = tonumber(ARGV[2])
if delay > 0 then
  local notBefore = tonumber(redis.call('GET', KEYS[2]) or '0')
  if now + delay > notBefore then
    redis.call('SET', KEYS[2], now + delay, 'PX', delay + 1000)
  end
end
return 0
`;

/**
 * A rate limit shared by every process through Redis: at most `maxConcurrent` calls at once, each
 * start at least `minIntervalMs` after the previous call ended, and a cooldown anyone can set.
 * Redis' own clock decides, so processes with skewed clocks still agree.
 */
export class RedisRequestGate implements RequestGate {
  private readonly holdersKey: string;
  private readonly notBeforeKey: string;
  private readonly pollMs: number;

  constructor(private readonly options: RedisRequestGateOptions) {
    this.holdersKey = `${options.key}:holders`;
    this.notBeforeKey = `${options.key}:not-before`;
    this.pollMs = options.pollMs ?? 100;
  }

  async run<T>(task: () => Promise<T>, { maxWaitMs = Number.POSITIVE_INFINITY } = {}): Promise<T> {
    const token = await this.acquire(maxWaitMs);
    try {
      return await task();
    } finally {
      await this.release(token);
    }
  }

  async cooldown(ms: number): Promise<void> {
    await this.options.redis.eval(pushBackScript, 2, this.holdersKey, this.notBeforeKey, '', Math.ceil(ms));
  }

  private async acquire(maxWaitMs: number): Promise<string> {
    const token = randomUUID();
    const { redis, maxConcurrent, minIntervalMs, leaseMs } = this.options;
    const started = Date.now();
    for (;;) {
      const wait = Number(
        await redis.eval(acquireScript, 2, this.holdersKey, this.notBeforeKey, token, maxConcurrent, minIntervalMs, leaseMs),
      );
      if (wait === 0) return token;
      const waited = Date.now() - started;
      if (waited + Math.min(wait, this.pollMs) > maxWaitMs) throw new GateWaitTimeout(waited);
      await new Promise((resolve) => setTimeout(resolve, Math.min(wait, this.pollMs)));
    }
  }

  private async release(token: string): Promise<void> {
    await this.options.redis.eval(pushBackScript, 2, this.holdersKey, this.notBeforeKey, token, this.options.minIntervalMs);
  }
}
