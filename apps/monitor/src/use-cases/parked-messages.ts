import { monitorError } from '../domain/errors.js';
import type { ParkedListing, ParkedQueue } from '../domain/parked.js';
import type { MonitorDeps } from './deps.js';

type ParkedDeps = Pick<MonitorDeps, 'parked' | 'settings' | 'logger'>;

/** Every parked queue that exists, with how many messages wait in it. */
export async function listParkedQueues(deps: Pick<MonitorDeps, 'parked'>): Promise<ParkedQueue[]> {
  return deps.parked.count();
}

function knownQueue(deps: Pick<MonitorDeps, 'parked'>, queue: string): string {
  // Only the system's own parked queues: the console is no window onto any queue of the broker.
  if (!deps.parked.queueNames().includes(queue)) throw monitorError('UNKNOWN_QUEUE', { message: `No parked-message queue named ${queue}` });
  return queue;
}

/** The oldest messages of one parked queue, left in place. */
export async function inspectParkedQueue(deps: ParkedDeps, input: { queue: string }): Promise<ParkedListing> {
  return deps.parked.peek(knownQueue(deps, input.queue), deps.settings.peekLimit);
}

/** Sends one message (by id) or all of a parked queue back where it came from. */
export async function replayParked(deps: ParkedDeps, input: { queue: string; messageId?: string | undefined; userId: string }): Promise<number> {
  const queue = knownQueue(deps, input.queue);
  if (input.messageId !== undefined && !deps.parked.replaysOne) throw monitorError('REPLAY_ONE_UNSUPPORTED');
  const replayed = await deps.parked.replay(queue, input.messageId === undefined ? {} : { messageId: input.messageId });
  deps.logger.info({ queue, messageId: input.messageId, replayed, userId: input.userId }, 'parked messages replayed');
  return replayed;
}
