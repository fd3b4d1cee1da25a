/**
 * Mastodon's rate-limit headers: a fixed window per token (rack-attack's `throttle_per_token_api`,
 * 300 requests per 5 minutes), reset given as an ISO 8601 time with microseconds.
 */
export interface RateLimitSettings {
  limit: number;
  periodSeconds: number;
}

export interface RateLimitState {
  limit: number;
  remaining: number;
  resetAt: Date;
}

export class FixedWindowLimiter {
  private readonly windows = new Map<string, { window: number; count: number }>();

  constructor(
    private readonly settings: RateLimitSettings,
    private readonly now: () => number,
  ) {}

  /** Counts one request for `key`; `allowed` is false once the window's budget is spent. */
  hit(key: string): { allowed: boolean; state: RateLimitState } {
    const nowMs = this.now();
    const period = this.settings.periodSeconds;
    const window = Math.floor(nowMs / 1000 / period);
    const entry = this.windows.get(key);
    const current = entry && entry.window === window ? entry : { window, count: 0 };
    current.count += 1;
    this.windows.set(key, current);
    const resetAt = new Date((window + 1) * period * 1000);
    const remaining = Math.max(0, this.settings.limit - current.count);
    return { allowed: current.count <= this.settings.limit, state: { limit: this.settings.limit, remaining, resetAt } };
  }
}

/** `2024-05-01T12:05:00.000000Z`, Ruby's `iso8601(6)` as Mastodon sends it. */
export function iso8601Micro(date: Date): string {
  return date.toISOString().replace(/Z$/, '000Z');
}

export function rateLimitHeaders(state: RateLimitState): Record<string, string> {
  return {
    'X-RateLimit-Limit': String(state.limit),
    'X-RateLimit-Remaining': String(state.remaining),
    'X-RateLimit-Reset': iso8601Micro(state.resetAt),
  };
}
