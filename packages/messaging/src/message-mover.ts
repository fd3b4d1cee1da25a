import { describeError, withDeadline, type Logger } from '@trendcast/core';
import type { ConfirmChannel, ConsumeMessage, Options } from 'amqplib';
import { sendToQueueConfirmed } from './confirm.js';
import type { ManagedChannel } from './managed-channel.js';
import type { RabbitConnection } from './rabbit-connection.js';

export interface MessageMoverOptions {
  logger: Logger;
  /** Where copies are published: a channel of the service's publishing connection, so flow control on copies never holds acks. */
  copyChannel: ManagedChannel;
  copyConnection: RabbitConnection;
  /** A copy not confirmed within this time counts as failed: the original is requeued. */
  copyTimeoutMs: number;
  /** Called with the delivery channel when a copy failed: its topology may be gone and must be declared again. */
  onCopyFailed: (deliveryChannel: ConfirmChannel) => void;
}

/**
 * Settles deliveries: acks, nacks, and moves (a confirmed copy into another queue, then the ack of the
 * original). Acks and nacks go to the channel a message came from; when that channel is gone the broker
 * redelivers the message, so a failed settlement loses nothing.
 */
export class MessageMover {
  constructor(private readonly options: MessageMoverOptions) {}

  /**
   * Copies the message into `target`, and acks the original only once the copy is confirmed. A copy that
   * fails or is not confirmed within copyTimeoutMs leaves the original unacked: it is requeued, never
   * acked away. (A copy confirmed after its timeout then exists twice; consumers are idempotent.)
   */
  async moveTo(deliveryChannel: ConfirmChannel, target: string, message: ConsumeMessage, options: Options.Publish): Promise<boolean> {
    const attempt = { abandoned: false };
    try {
      await withDeadline(this.copy(target, message.content, options, attempt), this.options.copyTimeoutMs, `the copy to ${target}`);
    } catch (error) {
      attempt.abandoned = true;
      this.options.logger.warn({ err: describeError(error), target }, 'could not move the message; requeueing it');
      this.nack(deliveryChannel, message);
      this.options.onCopyFailed(deliveryChannel);
      return false;
    }
    return this.ack(deliveryChannel, message);
  }

  /** Acks on the channel the message came from; when that channel is gone, the broker redelivers it. */
  ack(channel: ConfirmChannel, message: ConsumeMessage): boolean {
    try {
      channel.ack(message);
      return true;
    } catch (error) {
      this.options.logger.debug({ err: describeError(error) }, 'channel closed before the ack; the message will be redelivered');
      return false;
    }
  }

  nack(channel: ConfirmChannel, message: ConsumeMessage): void {
    try {
      channel.nack(message, false, true);
    } catch (error) {
      this.options.logger.debug({ err: describeError(error) }, 'channel closed before the nack; the message will be redelivered');
    }
  }

  private async copy(target: string, content: Buffer, options: Options.Publish, attempt: { abandoned: boolean }): Promise<void> {
    // While the broker blocks the publishing connection, wait (within the timeout) rather than buffer copies.
    await this.options.copyConnection.whenPublishable();
    const channel = await this.options.copyChannel.ready();
    // Nothing is written once the move has been given up: the original is requeued by then.
    if (attempt.abandoned) throw new Error('the move was given up');
    await sendToQueueConfirmed(channel, target, content, options);
  }
}
