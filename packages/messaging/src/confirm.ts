import { randomUUID } from 'node:crypto';
import type { ConfirmChannel, Options } from 'amqplib';

export interface PendingConfirm {
  /** false when the channel's write buffer is full: wait for the channel's 'drain' before more. */
  writable: boolean;
  /**
   * Resolves once the broker has the message. Rejects with NackedError or UnroutableError when the
   * broker refused it, or with amqplib's "channel closed" when the channel closed first (then the
   * message may or may not have been stored).
   */
  confirmed: Promise<void>;
}

/** The broker answered basic.nack: it did not store the message. */
export class NackedError extends Error {
  override readonly name = 'NackedError';
  constructor() {
    super('the broker refused the message (basic.nack)');
  }
}

/** A mandatory message no queue took: the broker returned it (and then confirmed it, having stored nothing). */
export class UnroutableError extends Error {
  override readonly name = 'UnroutableError';
  constructor(readonly exchange: string, readonly routingKey: string) {
    super(`no queue took the message: exchange "${exchange || '(default)'}" has nothing bound for "${routingKey}" (basic.return)`);
  }
}

const publishIdHeader = 'x-publish-id';
const returnedByChannel = new WeakMap<ConfirmChannel, Set<string>>();

/** The key a returned message is recognised by: our per-publish id when set, else its message id. */
function returnKey(properties: { headers?: Record<string, unknown>; messageId?: unknown }): string | undefined {
  const id = properties.headers?.[publishIdHeader];
  if (typeof id === 'string') return id;
  return typeof properties.messageId === 'string' ? properties.messageId : undefined;
}

function returnedKeys(channel: ConfirmChannel): Set<string> {
  let returned = returnedByChannel.get(channel);
  if (!returned) {
    const keys = new Set<string>();
    channel.on('return', (message: { properties: { headers?: Record<string, unknown>; messageId?: unknown } }) => {
      const key = returnKey(message.properties);
      if (key !== undefined) keys.add(key);
    });
    returnedByChannel.set(channel, keys);
    returned = keys;
  }
  return returned;
}

/**
 * Publishes with `mandatory`, so a message no queue takes is returned rather than silently dropped, and
 * settles once the broker confirms: rejected with UnroutableError when it was returned (the broker sends
 * basic.return before the confirm of the same message). Returns are recognised by the message id, so
 * only one copy of a message id may be in flight on a channel at a time (EventPublisher sees to it);
 * copies that may repeat one pass `uniqueKey`.
 */
export function publishMandatory(
  channel: ConfirmChannel,
  exchange: string,
  routingKey: string,
  content: Buffer,
  options: Options.Publish,
  uniqueKey?: string,
): PendingConfirm {
  const returned = returnedKeys(channel);
  const headers = uniqueKey === undefined ? options.headers : { ...(options.headers as Record<string, unknown> | undefined), [publishIdHeader]: uniqueKey };
  const key = uniqueKey ?? options.messageId;
  if (key === undefined) throw new Error('a mandatory publish needs a messageId (or a unique key) to recognise its return');
  let writable = true;
  const confirmed = new Promise<void>((resolve, reject) => {
    try {
      writable = channel.publish(exchange, routingKey, content, { ...options, headers, mandatory: true }, (error: unknown) => {
        if (returned.delete(key)) reject(new UnroutableError(exchange, routingKey));
        else if (!error) resolve();
        else if (error instanceof Error && error.message === 'message nacked') reject(new NackedError());
        else reject(error instanceof Error ? error : new Error(String(error)));
      });
    } catch (error) {
      // A channel that closed a moment ago refuses synchronously.
      writable = false;
      reject(error);
    }
  });
  return { writable, confirmed };
}

/**
 * Publishes straight into `queue` (default exchange) and resolves once the broker confirms it was stored
 * there. The broker confirms an unroutable message too (after returning it), so a missing queue would
 * silently lose the message: `mandatory` plus the return check turn that into a rejection.
 */
export async function sendToQueueConfirmed(channel: ConfirmChannel, queue: string, content: Buffer, options: Options.Publish): Promise<void> {
  try {
    await publishMandatory(channel, '', queue, content, options, randomUUID()).confirmed;
  } catch (error) {
    if (error instanceof UnroutableError) throw new Error(`queue "${queue}" does not exist; the message was returned`);
    throw error;
  }
}

/** Our bookkeeping header, removed before a message is copied again. */
export const internalHeaders: readonly string[] = [publishIdHeader];
