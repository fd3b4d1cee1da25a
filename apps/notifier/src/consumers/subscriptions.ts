import type { DomainEvent } from '@trendcast/events';
import type { EventConsumer, HandlerContext } from '@trendcast/messaging';
import type { NotifierDeps } from '../use-cases/deps.js';
import { eraseRecipient, projectUserChange } from '../use-cases/project-recipient.js';
import { queueEmails } from '../use-cases/queue-emails.js';

/**
 * Everything the notifier listens to, in one place; this list drives the queue bindings.
 * Handlers only record and queue: the slow part (SMTP) runs in the email worker.
 */
export function subscribe(consumer: EventConsumer, deps: NotifierDeps): EventConsumer {
  const mail = async (event: DomainEvent, { logger }: HandlerContext) => {
    await queueEmails(deps, { event, logger });
  };
  return (
    consumer
      // The users service's account events keep the recipient projection up to date.
      .on('users.user.registered', async (event, context) => {
        // Seed the projection first: later mails about this user are found even if the welcome mail fails.
        await projectUserChange(deps, event);
        await mail(event, context);
      })
      .on('users.user.updated', async (event) => {
        await projectUserChange(deps, event);
      })
      .on('users.user.deleted', async (event) => {
        await eraseRecipient(deps, event);
      })
      // Account and security mail carry their address.
      .on('users.email_verification.requested', mail)
      .on('users.password_reset.requested', mail)
      .on('users.password.changed', mail)
      // Activity mail names only the user; the projection supplies address and preferences.
      .on('trends.search.failed', mail)
      .on('thinker.drafts.generated', mail)
      .on('thinker.generation.failed', mail)
      .on('tweeter.post.published', mail)
      .on('tweeter.post.failed', mail)
      .on('tweeter.channel.reconnection_needed', mail)
  );
}
