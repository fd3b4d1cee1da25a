import type { EventConsumer } from '@trendcast/messaging';
import type { TrendsDeps } from '../use-cases/deps.js';
import { eraseUserData } from '../use-cases/erase-user-data.js';

/** Every event this service consumes, in one place (the bindings of its queues follow from it). */
export function subscribeToUserEvents(consumer: EventConsumer, deps: Pick<TrendsDeps, 'db' | 'queue' | 'logger'>): EventConsumer {
  return consumer.on('users.user.deleted', async (event, context) => {
    const erased = await eraseUserData(deps, event);
    context.logger.info({ userId: event.data.userId, ...erased }, 'erased the data of a deleted user');
  });
}
