import type { EventConsumer } from '@trendcast/messaging';
import type { ThinkerDeps } from '../use-cases/deps.js';
import { eraseUserData } from '../use-cases/erase-user-data.js';
import { generateForSearch } from '../use-cases/generate-for-search.js';
import { recordPublication } from '../use-cases/record-publication.js';

/**
 * Every event this service consumes, in one place: the consumer binds its queues to exactly these
 * types. A handler validates nothing itself (the consumer parsed the event against its contract)
 * and calls one use case.
 */
export function subscribe(consumer: EventConsumer, deps: ThinkerDeps): EventConsumer {
  return consumer
    .on('trends.search.completed', async (event, context) => {
      const outcome = await generateForSearch(deps, event);
      context.logger.info({ searchId: event.data.searchId, outcome }, 'trend search received');
    })
    .on('tweeter.post.published', async (event, context) => {
      const published = await recordPublication(deps, event);
      context.logger.info({ draftId: event.data.draftId, published }, 'post published');
    })
    .on('users.user.deleted', async (event, context) => {
      const erased = await eraseUserData(deps, event);
      context.logger.info({ userId: event.data.userId, ...erased }, 'erased the data of a deleted user');
    });
}
