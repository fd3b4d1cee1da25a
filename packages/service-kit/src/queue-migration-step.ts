import type { EventBus } from './event-bus.js';
import type { Service } from './service.js';

/**
 * A consuming service's one-shot deploy step, run by main.ts when given `--migrate-queues` (queueMigrationFlag): its
 * consumer queues declared by an earlier version (classic queues) move to the declared quorum queues
 * without losing a message (EventConsumer.migrateQueues; see the messaging README). Run it with no old
 * instance consuming those queues (it refuses otherwise), before the new version starts. Logs each
 * queue's outcome, stops what the service built, and sets the exit code (0 done, 1 failed).
 */
export async function runQueueMigration(service: Pick<Service, 'logger' | 'stop'> & { bus: EventBus }): Promise<void> {
  const { logger } = service;
  let failed = false;
  try {
    const moved = await service.bus.migrateQueues();
    for (const queue of moved) logger.info(queue, `queue ${queue.queue}: ${queue.outcome}`);
    logger.info({ queues: moved.length }, 'queue migration done');
  } catch (err) {
    failed = true;
    logger.fatal({ err }, 'queue migration failed');
  }
  const clean = await service.stop();
  process.exitCode = failed || !clean ? 1 : 0;
}
