import { backoffDelay } from '@trendcast/core';
import type { ChannelError } from './channel-error.js';

export interface RetrySettings {
  /** Attempts that end `temporary` or `unknown_outcome` before the post fails (rate limits do not count). */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Rate-limited attempts before the post fails. */
  maxRateLimitedAttempts: number;
  /** The wait after a 429 that names no reset. */
  rateLimitFallbackMs: number;
  /** Spread added after a rate-limit reset, so a channel's waiting posts do not all go at once. */
  rateLimitJitterMs: number;
  /** A retry after unknown_outcome must land this long before the network forgets the key. */
  idempotencySafetyMarginMs: number;
}

export const defaultRetrySettings: RetrySettings = {
  maxAttempts: 6,
  baseDelayMs: 10_000,
  maxDelayMs: 5 * 60_000,
  maxRateLimitedAttempts: 10,
  rateLimitFallbackMs: 60_000,
  rateLimitJitterMs: 2_000,
  idempotencySafetyMarginMs: 5 * 60_000,
};

export interface FailedAttempt {
  error: ChannelError;
  /** Attempts made so far, this one included (counted from 1). */
  attempts: number;
  /** How many of them ended rate_limited, this one included. */
  rateLimitedAttempts: number;
  now: Date;
  /** When the first attempt whose outcome is still unknown was sent (set on unknown_outcome). */
  unknownSince?: Date;
}

export interface AdapterRetryTraits {
  supportsIdempotencyKey: boolean;
  idempotencyWindowMs?: number;
}

export type RetryDecision =
  | {
      action: 'retry';
      at: Date;
      delayMs: number;
      /** Ask the network whether the post exists before sending it again (adapters without keys). */
      checkFirst: boolean;
    }
  | {
      action: 'fail';
      reason: string;
      /** The credentials stopped working: the channel must be marked needs_reconnection. */
      channelNeedsReconnection: boolean;
    };

/** What to do after a failed attempt to publish, from the error's class and the attempts so far. */
export function decideRetry(
  failed: FailedAttempt,
  adapter: AdapterRetryTraits,
  settings: RetrySettings = defaultRetrySettings,
  random: () => number = Math.random,
): RetryDecision {
  const { error, now } = failed;
  const budgetUsed = failed.attempts - failed.rateLimitedAttempts;
  const backoff = () => backoffDelay(Math.max(1, budgetUsed), { baseMs: settings.baseDelayMs, maxMs: settings.maxDelayMs, random });

  switch (error.kind) {
    case 'auth_revoked':
      return fail(`${error.reason}; reconnect the channel`, true);
    case 'rejected':
      return fail(error.reason);
    case 'temporary':
      if (budgetUsed >= settings.maxAttempts) return fail(`${error.reason} (gave up after ${failed.attempts} attempts)`);
      return withinKeyWindow(failed, adapter, settings, retryAt(now, backoff()));
    case 'rate_limited': {
      if (failed.rateLimitedAttempts >= settings.maxRateLimitedAttempts) {
        return fail(`${error.reason} (still rate limited after ${failed.rateLimitedAttempts} attempts)`);
      }
      const reset = error.resetAt && error.resetAt.getTime() > now.getTime() ? error.resetAt.getTime() : now.getTime() + settings.rateLimitFallbackMs;
      return withinKeyWindow(failed, adapter, settings, retryAt(now, reset - now.getTime() + Math.round(random() * settings.rateLimitJitterMs)));
    }
    case 'unknown_outcome':
      if (budgetUsed >= settings.maxAttempts) return fail(unknownOutcomeReason);
      return withinKeyWindow(failed, adapter, settings, retryAt(now, backoff()));
  }
}

const unknownOutcomeReason =
  'the network did not answer, so whether the post was published is unknown; check the account before posting it again';

/**
 * After an unknown outcome, a re-send is safe only while the network still remembers the
 * idempotency key (Mastodon: one hour); later it could post twice, so the post fails instead.
 * A network without keys is asked first.
 */
function withinKeyWindow(failed: FailedAttempt, adapter: AdapterRetryTraits, settings: RetrySettings, retry: { at: Date; delayMs: number }): RetryDecision {
  if (!failed.unknownSince) return { action: 'retry', ...retry, checkFirst: false };
  if (!adapter.supportsIdempotencyKey) return { action: 'retry', ...retry, checkFirst: true };
  const forgetsAt = failed.unknownSince.getTime() + (adapter.idempotencyWindowMs ?? 0) - settings.idempotencySafetyMarginMs;
  if (retry.at.getTime() > forgetsAt) return fail(unknownOutcomeReason);
  return { action: 'retry', ...retry, checkFirst: false };
}

function retryAt(now: Date, delayMs: number): { at: Date; delayMs: number } {
  return { at: new Date(now.getTime() + delayMs), delayMs };
}

function fail(reason: string, channelNeedsReconnection = false): RetryDecision {
  return { action: 'fail', reason, channelNeedsReconnection };
}
