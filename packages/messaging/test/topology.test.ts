import { describe, expect, it } from 'vitest';
import { backoffDelay } from '@trendcast/core';
import {
  consumerQueueName,
  consumerTopologyQueues,
  deadLetterQueueName,
  exchangeForType,
  resolveDeadLetterQueue,
  retryDelayFor,
  retryQueueName,
} from '../src/index.js';

describe('topology names', () => {
  it('when an event type is given, then its exchange is its producer’s topic exchange', () => {
    expect(exchangeForType('users.user.registered')).toBe('users.events');
    expect(exchangeForType('tweeter.post.failed')).toBe('tweeter.events');
  });

  it('when a namespace is given, then every name carries it as a prefix', () => {
    expect(exchangeForType('users.user.registered', 'preview')).toBe('preview.users.events');
    expect(consumerQueueName('notifier', 'users', 'preview')).toBe('preview.notifier.users-events');
  });

  it('when a consumer queue is named, then its retry and dead-letter queues derive from it', () => {
    const queue = consumerQueueName('notifier', 'users');
    expect(queue).toBe('notifier.users-events');
    expect(retryQueueName(queue, 5_000)).toBe('notifier.users-events.retry.5000ms');
    expect(deadLetterQueueName(queue)).toBe('notifier.users-events.dead-letter');
    expect(consumerTopologyQueues(queue, [1_000, 5_000, 5_000])).toEqual([
      'notifier.users-events',
      'notifier.users-events.retry.1000ms',
      'notifier.users-events.retry.5000ms',
      'notifier.users-events.dead-letter',
    ]);
  });

  it('when either the queue or its dead-letter queue is named, then the dead-letter queue is resolved', () => {
    expect(resolveDeadLetterQueue('notifier.users-events')).toBe('notifier.users-events.dead-letter');
    expect(resolveDeadLetterQueue('notifier.users-events.dead-letter')).toBe('notifier.users-events.dead-letter');
  });
});

describe('retry delays', () => {
  it('when attempts outnumber the delays, then the last delay repeats', () => {
    const delays = [1_000, 5_000, 30_000];
    expect([2, 3, 4, 5, 6].map((attempt) => retryDelayFor(attempt, delays))).toEqual([1_000, 5_000, 30_000, 30_000, 30_000]);
  });
});

describe('reconnect backoff', () => {
  it('when failures pile up, then the delay doubles up to the maximum, jittered within its upper half', () => {
    // RabbitConnection and ManagedChannel wait backoffDelay(failures, { baseMs: min, maxMs: max }) after `failures` failures in a row.
    const lowest = [1, 2, 3, 4, 11].map((failures) => backoffDelay(failures, { baseMs: 100, maxMs: 1_000, random: () => 0 }));
    const highest = [1, 2, 3, 4, 11].map((failures) => backoffDelay(failures, { baseMs: 100, maxMs: 1_000, random: () => 1 }));
    expect(lowest).toEqual([50, 100, 200, 400, 500]);
    expect(highest).toEqual([100, 200, 400, 800, 1_000]);
  });
});
