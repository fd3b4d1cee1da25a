import { describeError } from '@trendcast/core';
import { jobStates } from '../data/bullmq-queues.js';
import type { MonitorDeps } from './deps.js';

/**
 * Finds the queues in Redis again (a new service's queue appears without a restart), shows the
 * set on the board when it changed, and sets the job and parked-message gauges. Redis and
 * RabbitMQ are refreshed independently: one being away leaves the other's figures current.
 */
export async function refreshQueues(deps: Pick<MonitorDeps, 'queues' | 'board' | 'parked' | 'metrics' | 'logger'>): Promise<void> {
  await Promise.all([refreshJobs(deps), refreshParked(deps)]);
}

async function refreshJobs(deps: Pick<MonitorDeps, 'queues' | 'board' | 'metrics' | 'logger'>): Promise<void> {
  try {
    if (await deps.queues.sync(await deps.queues.discover())) {
      const queues = deps.queues.list();
      deps.board.show(queues);
      deps.logger.info({ queues: queues.map((q) => q.boardName) }, 'queues on the board changed');
    }
    const counted = await Promise.all(deps.queues.list().map(async (q) => [q.boardName, await deps.queues.jobCounts(q)] as const));
    // Reset first: a queue that is gone must not keep its last figures.
    deps.metrics.queueJobs.reset();
    for (const [queue, counts] of counted) {
      for (const state of jobStates) deps.metrics.queueJobs.set({ queue, state }, counts[state] ?? 0);
    }
  } catch (error) {
    deps.metrics.refreshFailures.inc({ source: 'redis' });
    deps.logger.warn({ err: describeError(error) }, 'could not refresh the BullMQ queues');
  }
}

async function refreshParked(deps: Pick<MonitorDeps, 'parked' | 'metrics' | 'logger'>): Promise<void> {
  try {
    const counts = await deps.parked.count();
    deps.metrics.deadLetters.reset();
    for (const { queue, messageCount } of counts) deps.metrics.deadLetters.set({ queue }, messageCount);
  } catch (error) {
    deps.metrics.refreshFailures.inc({ source: 'rabbitmq' });
    deps.logger.warn({ err: describeError(error) }, 'could not count the parked messages');
  }
}
