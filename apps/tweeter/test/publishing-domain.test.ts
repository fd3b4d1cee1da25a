import { DomainError } from '@trendcast/service-kit';
import { describe, expect, it } from 'vitest';
import { ChannelError, attemptOutcomeOf } from '../src/domain/channel-error.js';
import { canEdit, nextStatus } from '../src/domain/post-state.js';
import { checkPostText } from '../src/domain/post-text-check.js';
import { checkGate, extendPause, InMemoryChannelGate } from '../src/domain/rate-limit-gate.js';
import { decideRetry, defaultRetrySettings, type FailedAttempt } from '../src/domain/retry-policy.js';
import { parseTimelineHandle, timelineLimits } from '../src/domain/timeline-rules.js';

const now = new Date('2025-03-01T12:00:00Z');
const idempotent = { supportsIdempotencyKey: true, idempotencyWindowMs: 60 * 60_000 };
const withoutKeys = { supportsIdempotencyKey: false };

/** The domain error `run` throws (one of this service's codes); anything else fails the test. */
function domainErrorOf(run: () => unknown): DomainError {
  try {
    run();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('no error was thrown');
}
const attempt = (error: ChannelError, extra: Partial<FailedAttempt> = {}): FailedAttempt => ({ error, attempts: 1, rateLimitedAttempts: 0, now, ...extra });
const at = (ms: number) => new Date(now.getTime() + ms);

describe('retry decision', () => {
  it('when the failure is temporary, then it retries with growing jittered backoff until the attempts run out', () => {
    const error = new ChannelError('temporary', 'Mastodon answered 503');
    const delays = [1, 2, 3, 4, 5].map((n) => decideRetry(attempt(error, { attempts: n }), idempotent, defaultRetrySettings, () => 1));
    expect(delays.map((d) => (d.action === 'retry' ? d.delayMs : -1))).toEqual([10_000, 20_000, 40_000, 80_000, 160_000]);
    const half = decideRetry(attempt(error, { attempts: 3 }), idempotent, defaultRetrySettings, () => 0);
    expect(half).toMatchObject({ action: 'retry', delayMs: 20_000 });
    expect(decideRetry(attempt(error, { attempts: 6 }), idempotent)).toMatchObject({ action: 'fail', reason: expect.stringContaining('gave up after 6 attempts') });
  });

  it('when rate limited with a reset time, then it waits until that moment (plus a little spread) and rate limits do not use up attempts', () => {
    const error = new ChannelError('rate_limited', 'limit', { resetAt: at(90_000) });
    expect(decideRetry(attempt(error, { attempts: 7, rateLimitedAttempts: 2 }), idempotent, defaultRetrySettings, () => 0)).toMatchObject({ action: 'retry', at: at(90_000) });
    expect(decideRetry(attempt(error), idempotent, defaultRetrySettings, () => 1)).toMatchObject({ action: 'retry', at: at(92_000) });
    expect(decideRetry(attempt(error, { attempts: 10, rateLimitedAttempts: 10 }), idempotent)).toMatchObject({ action: 'fail' });
  });

  it('when rate limited without a reset time, then it waits the fallback', () => {
    const error = new ChannelError('rate_limited', 'limit');
    expect(decideRetry(attempt(error), idempotent, defaultRetrySettings, () => 0)).toMatchObject({ action: 'retry', delayMs: 60_000 });
  });

  it('when the credentials were revoked, then it fails at once and asks for reconnection', () => {
    expect(decideRetry(attempt(new ChannelError('auth_revoked', 'revoked')), idempotent)).toEqual({ action: 'fail', reason: 'revoked; reconnect the channel', channelNeedsReconnection: true });
  });

  it('when the network rejected the post, then it fails at once with the network\'s reason', () => {
    expect(decideRetry(attempt(new ChannelError('rejected', 'Mastodon refused the post (Validation failed: Text character limit of 500 exceeded)')), idempotent)).toEqual({
      action: 'fail',
      reason: 'Mastodon refused the post (Validation failed: Text character limit of 500 exceeded)',
      channelNeedsReconnection: false,
    });
  });

  it('when the outcome is unknown and the network keeps idempotency keys, then it retries within the key window, and fails rather than retry after it', () => {
    const error = new ChannelError('unknown_outcome', 'no answer');
    expect(decideRetry(attempt(error, { unknownSince: now }), idempotent, defaultRetrySettings, () => 1)).toMatchObject({ action: 'retry', delayMs: 10_000, checkFirst: false });
    // Sent 52 minutes ago: a retry 10 s from now lands inside the hour minus the 5-minute margin? No (52 + 5 > 60 - 10 s).
    const late = decideRetry(attempt(error, { unknownSince: new Date(now.getTime() - 55 * 60_000) }), idempotent, defaultRetrySettings, () => 1);
    expect(late).toMatchObject({ action: 'fail', reason: expect.stringContaining('whether the post was published is unknown') });
  });

  it('when a rate limit after an unknown outcome resets beyond the key window, then it fails instead of risking a duplicate', () => {
    const error = new ChannelError('rate_limited', 'limit', { resetAt: at(3 * 60 * 60_000) });
    expect(decideRetry(attempt(error, { rateLimitedAttempts: 1, attempts: 2, unknownSince: now }), idempotent)).toMatchObject({ action: 'fail' });
    expect(decideRetry(attempt(error, { rateLimitedAttempts: 1, attempts: 2 }), idempotent, defaultRetrySettings, () => 0)).toMatchObject({ action: 'retry' });
  });

  it('when the outcome is unknown and the network has no idempotency keys, then the retry must check for the post first', () => {
    const error = new ChannelError('unknown_outcome', 'no answer');
    expect(decideRetry(attempt(error, { unknownSince: now }), withoutKeys)).toMatchObject({ action: 'retry', checkFirst: true });
  });

  it('when attempts are recorded, then unknown_outcome is stored as the API\'s "unknown"', () => {
    expect(attemptOutcomeOf('unknown_outcome')).toBe('unknown');
    expect(attemptOutcomeOf('rate_limited')).toBe('rate_limited');
  });
});

describe('per-channel rate-limit gate', () => {
  it('when a channel is paused until T, then its posts wait until T and go after it; other channels are not held', async () => {
    const gate = new InMemoryChannelGate();
    await gate.pause('c1', at(60_000));
    expect(await gate.check('c1', now)).toEqual({ proceed: false, waitUntil: at(60_000) });
    expect(await gate.check('c1', at(30_000))).toEqual({ proceed: false, waitUntil: at(60_000) });
    expect(await gate.check('c2', now)).toEqual({ proceed: true });
    expect(await gate.check('c1', at(60_000))).toEqual({ proceed: true });
  });

  it('when a shorter reset arrives during a longer pause, then the longer pause stands', () => {
    expect(extendPause(at(120_000), at(60_000))).toEqual(at(120_000));
    expect(extendPause(at(60_000), at(120_000))).toEqual(at(120_000));
    expect(extendPause(null, at(5_000))).toEqual(at(5_000));
    expect(checkGate(at(-1), now)).toEqual({ proceed: true });
  });
});

describe('post states', () => {
  it('when a post goes the whole way, then scheduled → publishing → published, and nothing moves after', () => {
    const publishing = nextStatus({ status: 'scheduled' }, 'start_publishing');
    expect(publishing).toBe('publishing');
    expect(nextStatus({ status: publishing }, 'published')).toBe('published');
    expect(domainErrorOf(() => nextStatus({ status: 'published' }, 'start_publishing')).code).toBe('POST_STATE_CONFLICT');
    expect(domainErrorOf(() => nextStatus({ status: 'failed' }, 'published')).code).toBe('POST_STATE_CONFLICT');
    expect(domainErrorOf(() => nextStatus({ status: 'cancelled' }, 'start_publishing')).code).toBe('POST_STATE_CONFLICT');
  });

  it('when a post is not scheduled, then editing or rescheduling it is refused with POST_NOT_EDITABLE', () => {
    expect(nextStatus({ status: 'scheduled' }, 'edit')).toBe('scheduled');
    expect(nextStatus({ status: 'scheduled' }, 'reschedule')).toBe('scheduled');
    for (const status of ['publishing', 'published', 'failed', 'cancelled'] as const) {
      expect(domainErrorOf(() => nextStatus({ status }, 'edit')).code).toBe('POST_NOT_EDITABLE');
      expect(() => nextStatus({ status }, 'reschedule')).toThrow(expect.objectContaining({ code: 'POST_NOT_EDITABLE' }));
      expect(canEdit(status)).toBe(false);
    }
  });

  it('when a post waits between retries, then it may be cancelled, but not during an attempt nor while its outcome is unknown', () => {
    expect(nextStatus({ status: 'scheduled' }, 'cancel')).toBe('cancelled');
    expect(nextStatus({ status: 'publishing', attemptInFlight: false }, 'cancel')).toBe('cancelled');
    expect(() => nextStatus({ status: 'publishing', attemptInFlight: true }, 'cancel')).toThrow(/being published right now/);
    expect(() => nextStatus({ status: 'publishing', outcomeUnknown: true }, 'cancel')).toThrow(/may already have published/);
    expect(domainErrorOf(() => nextStatus({ status: 'published' }, 'cancel')).code).toBe('POST_STATE_CONFLICT');
  });

  it('when a retry starts, then a publishing post between attempts starts again, but one in flight does not start twice', () => {
    expect(nextStatus({ status: 'publishing', attemptInFlight: false }, 'start_publishing')).toBe('publishing');
    expect(domainErrorOf(() => nextStatus({ status: 'publishing', attemptInFlight: true }, 'start_publishing')).code).toBe('POST_STATE_CONFLICT');
  });
});

describe('text against the channel limit', () => {
  it('when the text fits as the network counts it, then its length is returned', () => {
    const link = `https://example.com/${'a'.repeat(200)}`;
    expect(checkPostText(`Read ${link}`, { maxCharacters: 30, linkWeight: 23 })).toBe(28);
    expect(checkPostText('👍🏽'.repeat(10), { maxCharacters: 10, linkWeight: 23 })).toBe(10);
  });

  it('when the text is over the limit or blank, then TEXT_TOO_LONG (with the figures) or TEXT_EMPTY', () => {
    const error = domainErrorOf(() => checkPostText('x'.repeat(501), timelineLimits));
    expect(error).toMatchObject({ code: 'TEXT_TOO_LONG', details: { length: 501, maxCharacters: 500 } });
    expect(domainErrorOf(() => checkPostText('   \n', timelineLimits)).code).toBe('TEXT_EMPTY');
  });
});

describe('timeline handles', () => {
  it.each([
    ['ada', 'ada'],
    ['@Ada_Lovelace', 'ada_lovelace'],
    ['  bob_99 ', 'bob_99'],
    ['a'.repeat(30), 'a'.repeat(30)],
  ])('when %j is given, then the handle is %j', (input, handle) => {
    expect(parseTimelineHandle(input)).toBe(handle);
  });

  it.each(['ab', 'a'.repeat(31), 'ada lovelace', 'ada-l', 'adé', '@@ada', ''])('when %j is given, then it is refused', (input) => {
    expect(domainErrorOf(() => parseTimelineHandle(input)).code).toBe('INVALID_HANDLE');
  });

  it('when the timeline limit is asked, then it is 500 with links at 23', () => {
    expect(timelineLimits).toEqual({ maxCharacters: 500, linkWeight: 23 });
  });
});
