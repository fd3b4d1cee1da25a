import type { DomainEvent } from '@trendcast/events';
import type { NotifierMetrics } from '../metrics.js';
import type { EraseOutcome, RecipientStore, UpsertOutcome } from '../recipients/recipient-store.js';

type UserChanged = DomainEvent<'users.user.registered'> | DomainEvent<'users.user.updated'>;

/** Keeps the recipient projection in step with the users service; safe to replay in any order. */
export function createRecipientProjection(store: RecipientStore, metrics: NotifierMetrics) {
  return {
    async userChanged(event: UserChanged): Promise<UpsertOutcome> {
      const { userId, email, displayName, notificationPreferences } = event.data;
      const outcome = await store.upsert(
        { userId, email, displayName, preferences: notificationPreferences },
        { eventId: event.id, occurredAt: event.occurredAt },
      );
      metrics.projectionChanges.inc({ change: 'upsert', outcome });
      return outcome;
    },

    async userDeleted(event: DomainEvent<'users.user.deleted'>): Promise<EraseOutcome> {
      const outcome = await store.erase(event.data.userId, { eventId: event.id, occurredAt: event.occurredAt });
      metrics.projectionChanges.inc({ change: 'erase', outcome });
      return outcome;
    },
  };
}

export type RecipientProjection = ReturnType<typeof createRecipientProjection>;
