import type { Redis } from 'ioredis';

/** The trending feed per country, shared by every instance through Redis for `ttlMs`. */
export class TrendingCache<T> {
  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
  ) {}

  async get(geo: string): Promise<T | undefined> {
    const cached = await this.redis.get(this.keyOf(geo));
    return cached ? (JSON.parse(cached) as T) : undefined;
  }

  async set(geo: string, value: T, ttlMs: number): Promise<void> {
    await this.redis.set(this.keyOf(geo), JSON.stringify(value), 'PX', ttlMs);
  }

  private keyOf(geo: string): string {
    return `${this.keyPrefix}:trending:${geo}`;
  }
}
