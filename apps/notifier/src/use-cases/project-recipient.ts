import type { DomainEvent } from '@trendcast/events';
import type { EraseOutcome, UpsertOutcome } from '../data/recipient-store.js';
import type { NotifierDeps } from './deps.js';

type UserChanged = DomainEvent<'users.user.registered'> | DomainEvent<'users.user.updated'>;

/** Keeps the recipient projection in step with the users service; safe to replay in any order. */
export async function projectUserChange(deps: Pick<NotifierDeps, 'recipients' | 'metrics'>, event: UserChanged): Promise<UpsertOutcome> {
  const { userId, email, displayName, notificationPreferences } = event.data;
  const outcome = await deps.recipients.upsert(
    { userId, email, displayName, preferences: notificationPreferences },
    { eventId: event.id, occurredAt: event.occurredAt },
  );
  deps.metrics.projectionChanges.inc({ change: 'upsert', outcome });
  return outcome;
}

/** Forgets everything about a deleted user but a tombstone, so a late event cannot bring them back. */
export async function eraseRecipient(
  deps: Pick<NotifierDeps, 'recipients' | 'metrics'>,
  event: DomainEvent<'users.user.deleted'>,
): Promise<EraseOutcome> {
  const outcome = await deps.recipients.erase(event.data.userId, { eventId: event.id, occurredAt: event.occurredAt });
  deps.metrics.projectionChanges.inc({ change: 'erase', outcome });
  return outcome;
}
