import { describe, expect, it } from 'vitest';
import { backoffDelay } from '../src/index.js';

describe('backoffDelay', () => {
  const options = { baseMs: 100, maxMs: 1_000 };

  it('when jitter is at its extremes, then retry n waits between half and all of base·2^(n-1)', () => {
    expect(backoffDelay(1, { ...options, random: () => 0 })).toBe(50);
    expect(backoffDelay(1, { ...options, random: () => 1 })).toBe(100);
    expect(backoffDelay(3, { ...options, random: () => 0 })).toBe(200);
    expect(backoffDelay(3, { ...options, random: () => 1 })).toBe(400);
  });

  it('when retries pile up, then the delay stops growing at the cap', () => {
    expect(backoffDelay(30, { ...options, random: () => 1 })).toBe(1_000);
    expect(backoffDelay(30, { ...options, random: () => 0 })).toBe(500);
  });

  it('when a floor is given (a Retry-After), then the delay is never shorter', () => {
    expect(backoffDelay(1, { ...options, atLeastMs: 7_000, random: () => 1 })).toBe(7_000);
  });

  it('when retry 0 or below is asked, then it counts as the first', () => {
    expect(backoffDelay(0, { ...options, random: () => 1 })).toBe(100);
  });
});
