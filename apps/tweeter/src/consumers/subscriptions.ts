import type { EventConsumer } from '@trendcast/messaging';
import { acceptApprovedDraft } from '../use-cases/accept-approved-draft.js';
import type { TweeterDeps } from '../use-cases/deps.js';
import { eraseUserData } from '../use-cases/erase-user-data.js';

/**
 * Every event this service consumes, in one place: the consumer binds its queues to exactly these
 * types. A handler validates nothing itself (the consumer parsed the event against its contract)
 * and calls one use case.
 */
export function subscribe(consumer: EventConsumer, deps: TweeterDeps): EventConsumer {
  return consumer
    .on('thinker.draft.approved', async (event, context) => {
      const outcome = await acceptApprovedDraft(deps, event);
      context.logger.info({ draftId: event.data.draftId, userId: event.data.userId, outcome }, 'approved draft handled');
    })
    .on('users.user.deleted', async (event, context) => {
      const erased = await eraseUserData(deps, event);
      context.logger.info({ userId: event.data.userId, ...erased }, 'erased the data of a deleted user');
    });
}
