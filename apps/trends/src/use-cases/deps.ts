import type { UserQuotas } from '../data/user-quotas.js';
import type { TrendsDatabase } from '../db/client.js';
import type { SearchQueue } from '../queue/search-queue.js';
import type { RequestGate } from '../rate-limit/request-gate.js';
import type { TrendsSource } from './fetch-trend-results.js';

/** The subset of a pino logger the use cases write to. */
export interface UseCaseLogger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface TrendsSettings {
  /** Identical searches within this window are answered from the stored result (0: never). */
  cacheTtlMs: number;
  /** A search whose keywords have no data is tried this many times at most (fewer than other failures). */
  noDataAttempts: number;
  /** Everyone waits this long after a 429 without Retry-After. */
  rateLimitCooldownMs: number;
  /** Watches may not run more often than this. */
  watchMinIntervalMs: number;
  /** A queued or running search untouched for this long is checked against Redis by the reconciler. */
  reconcileGraceMs: number;
  /** What one user may queue (watches, searches in flight, searches a minute). */
  quotas: UserQuotas;
}

/** What the use cases need, built once in main.ts (or a test). */
export interface TrendsDeps {
  db: TrendsDatabase;
  queue: SearchQueue;
  google: TrendsSource;
  gate: RequestGate;
  logger: UseCaseLogger;
  settings: TrendsSettings;
  now: () => Date;
}
