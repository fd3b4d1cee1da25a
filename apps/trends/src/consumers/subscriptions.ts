import type { EventConsumer } from '@trendcast/messaging';
import type { TrendsDeps } from '../use-cases/deps.js';
import { eraseUserData } from '../use-cases/erase-user-data.js';

/**
 * Every event this service consumes, in one place: the consumer binds its queues to exactly these
 * types. A handler validates nothing itself (the consumer parsed the event against its contract)
 * and calls one use case.
 */
export function subscribe(consumer: EventConsumer, deps: TrendsDeps): EventConsumer {
  return consumer.on('users.user.deleted', async (event, context) => {
    const erased = await eraseUserData(deps, event);
    context.logger.info({ userId: event.data.userId, ...erased }, 'erased the data of a deleted user');
  });
}
