import { describeError } from '@trendcast/core';
import { DomainError } from '@trendcast/service-kit';
import { monitorError } from '../domain/errors.js';
import type { ParkedListing, ParkedQueue } from '../domain/parked.js';
import type { MonitorDeps } from './deps.js';

type ParkedDeps = Pick<MonitorDeps, 'parked' | 'settings' | 'logger'>;

/** The broker being away is an outcome an operator should read as such (503), not an internal error. */
async function onBroker<T>(deps: Pick<MonitorDeps, 'logger'>, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof DomainError) throw error;
    deps.logger.warn({ err: describeError(error) }, 'parked messages unreachable');
    throw monitorError('BROKER_UNAVAILABLE', { retryAfterSeconds: 5, cause: error });
  }
}

/** Every parked queue that exists, with how many messages wait in it. */
export async function listParkedQueues(deps: Pick<MonitorDeps, 'parked' | 'logger'>): Promise<ParkedQueue[]> {
  return onBroker(deps, () => deps.parked.count());
}

function knownQueue(deps: Pick<MonitorDeps, 'parked'>, queue: string): string {
  // Only the system's own parked queues: the console is no window onto any queue of the broker.
  if (!deps.parked.queueNames().includes(queue)) throw monitorError('UNKNOWN_QUEUE', { message: `No parked-message queue named ${queue}` });
  return queue;
}

/** The oldest messages of one parked queue, left in place. */
export async function inspectParkedQueue(deps: ParkedDeps, input: { queue: string }): Promise<ParkedListing> {
  const queue = knownQueue(deps, input.queue);
  return onBroker(deps, () => deps.parked.peek(queue, deps.settings.peekLimit));
}

/** Sends one message (by id) or all of a parked queue back where it came from. */
export async function replayParked(deps: ParkedDeps, input: { queue: string; messageId?: string | undefined; userId: string }): Promise<number> {
  const queue = knownQueue(deps, input.queue);
  const replayed = await onBroker(deps, () => deps.parked.replay(queue, input.messageId === undefined ? {} : { messageId: input.messageId }));
  deps.logger.info({ queue, messageId: input.messageId, replayed, userId: input.userId }, 'parked messages replayed');
  return replayed;
}
