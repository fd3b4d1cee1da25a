import { describeError, type Logger } from '@trendcast/core';
import type { ConfirmChannel, ConsumeMessage, Options } from 'amqplib';
import { sendToQueueConfirmed } from './confirm.js';

/**
 * Settles deliveries: acks, nacks, and moves (a confirmed copy into another queue, then the ack of the
 * original). Every settlement goes to the channel the message came from; when that channel is gone the
 * broker redelivers the message, so a failed settlement loses nothing.
 */
export class MessageMover {
  constructor(
    private readonly logger: Logger,
    /** Called with a channel on which a copy failed: its topology may be gone and must be declared again. */
    private readonly onCopyFailed: (channel: ConfirmChannel) => void,
  ) {}

  /** Copies the message into `target`, and acks the original only once the copy is confirmed. */
  async moveTo(channel: ConfirmChannel, target: string, message: ConsumeMessage, options: Options.Publish): Promise<boolean> {
    try {
      await sendToQueueConfirmed(channel, target, message.content, options);
    } catch (error) {
      this.logger.warn({ err: describeError(error), target }, 'could not move the message; requeueing it');
      this.nack(channel, message);
      this.onCopyFailed(channel);
      return false;
    }
    return this.ack(channel, message);
  }

  /** Acks on the channel the message came from; when that channel is gone, the broker redelivers it. */
  ack(channel: ConfirmChannel, message: ConsumeMessage): boolean {
    try {
      channel.ack(message);
      return true;
    } catch (error) {
      this.logger.debug({ err: describeError(error) }, 'channel closed before the ack; the message will be redelivered');
      return false;
    }
  }

  nack(channel: ConfirmChannel, message: ConsumeMessage): void {
    try {
      channel.nack(message, false, true);
    } catch (error) {
      this.logger.debug({ err: describeError(error) }, 'channel closed before the nack; the message will be redelivered');
    }
  }
}
