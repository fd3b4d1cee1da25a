import { randomUUID } from 'node:crypto';
import type { ConfirmChannel, Options } from 'amqplib';

export interface PendingConfirm {
  /** false when the socket's write buffer is full: wait for the channel's 'drain' before more. */
  writable: boolean;
  /**
   * Resolves once the broker has the message. Rejects on a broker nack or when the channel
   * closes first (then the message may or may not have been stored).
   */
  confirmed: Promise<void>;
}

export function publishWithConfirm(channel: ConfirmChannel, exchange: string, routingKey: string, content: Buffer, options: Options.Publish): PendingConfirm {
  let writable = true;
  const confirmed = new Promise<void>((resolve, reject) => {
    try {
      writable = channel.publish(exchange, routingKey, content, options, (error: unknown) => {
        if (error) reject(error instanceof Error ? error : new Error(String(error)));
        else resolve();
      });
    } catch (error) {
      // A channel that closed a moment ago refuses synchronously.
      writable = false;
      reject(error);
    }
  });
  return { writable, confirmed };
}

export function publishConfirmed(channel: ConfirmChannel, exchange: string, routingKey: string, content: Buffer, options: Options.Publish): Promise<void> {
  return publishWithConfirm(channel, exchange, routingKey, content, options).confirmed;
}

const publishIdHeader = 'x-publish-id';
const returnedByChannel = new WeakMap<ConfirmChannel, Set<string>>();

function returnedIds(channel: ConfirmChannel): Set<string> {
  let returned = returnedByChannel.get(channel);
  if (!returned) {
    const ids = new Set<string>();
    channel.on('return', (message: { properties: { headers?: Record<string, unknown> } }) => {
      const id = message.properties.headers?.[publishIdHeader];
      if (typeof id === 'string') ids.add(id);
    });
    returnedByChannel.set(channel, ids);
    returned = ids;
  }
  return returned;
}

/**
 * Publishes straight into `queue` (default exchange) and resolves once the broker confirms it
 * was stored there. The broker confirms an unroutable message too (after returning it), so a
 * missing queue would silently lose the message: `mandatory` plus the return check turn that
 * into a rejection.
 */
export async function sendToQueueConfirmed(channel: ConfirmChannel, queue: string, content: Buffer, options: Options.Publish): Promise<void> {
  const returned = returnedIds(channel);
  const publishId = randomUUID();
  const headers = { ...(options.headers as Record<string, unknown> | undefined), [publishIdHeader]: publishId };
  await publishConfirmed(channel, '', queue, content, { ...options, headers, mandatory: true });
  // The broker sends basic.return before the confirm of the same message.
  if (returned.delete(publishId)) throw new Error(`queue "${queue}" does not exist; the message was returned`);
}

/** Our bookkeeping header, removed before a message is copied again. */
export const internalHeaders: readonly string[] = [publishIdHeader];
