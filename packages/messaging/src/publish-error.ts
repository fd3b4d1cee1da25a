/**
 * Why a publish failed, for whoever retries it (the outbox relay):
 * - broker-unavailable: no connection, channel or confirm in time; nothing about this event.
 * - broker-blocked: the broker blocks the connection (resource alarm); publishing fails fast until it lifts.
 * - event-rejected: this event itself: not publishable (no producer in its type, too large), refused
 *   by the broker (nack), or taken by no queue on an exchange without an unrouted queue.
 */
export type PublishFailure = 'broker-unavailable' | 'broker-blocked' | 'event-rejected';

export class PublishError extends Error {
  override readonly name = 'PublishError';

  constructor(
    message: string,
    readonly failure: PublishFailure = 'broker-unavailable',
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
