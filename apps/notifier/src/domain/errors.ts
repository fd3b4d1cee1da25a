/**
 * The notifier has no public API, so its domain errors never reach HTTP: they tell the email
 * worker whether retrying can help.
 */

/** Retrying cannot help: the job fails at once and waits for an operator. */
export class PermanentDeliveryError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PermanentDeliveryError';
  }
}

/**
 * The event names a user the projection has not heard of yet. Events from different producers
 * travel different queues, so `trends.search.failed` may overtake `users.user.registered`; the
 * job is retried with backoff and fails visibly only if the user never shows up.
 */
export class RecipientNotKnownYetError extends Error {
  constructor(readonly userId: string) {
    super(`recipient ${userId} is not known yet`);
    this.name = 'RecipientNotKnownYetError';
  }
}
