import { describeError, type Logger } from '@trendcast/core';
import { EventParseError } from '@trendcast/events';
import type { ConfirmChannel, ConsumeMessage } from 'amqplib';
import type { ConsumerQueue, MessageOrigin } from './handler-types.js';
import { messageHeaders, republishOptions, type DeadLetterReason } from './message-properties.js';
import type { MessageMover } from './message-mover.js';
import type { MessagingMetrics } from './metrics.js';
import { deadLetterQueueName, retryDelayFor, retryQueueName } from './topology.js';

export interface FailedDelivery {
  queue: ConsumerQueue;
  message: ConsumeMessage;
  eventType: string;
  error: unknown;
  attempt: number;
  origin: MessageOrigin;
  logger: Logger;
}

/**
 * Where a delivery goes when it cannot be handled: the delay queue of its next attempt while attempts
 * remain, the dead-letter queue after the last one or at once when it cannot be parsed. Either way a
 * confirmed copy is made first and the original acked after (MessageMover).
 */
export class FailureRouter {
  constructor(
    private readonly mover: MessageMover,
    private readonly metrics: MessagingMetrics,
    private readonly maxAttempts: number,
    private readonly retryDelaysMs: readonly number[],
  ) {}

  /** A handler threw (or gave up): retry later, or dead-letter after the last attempt. */
  async handlerFailed(channel: ConfirmChannel, failure: FailedDelivery): Promise<void> {
    const { queue, message, eventType, error, attempt, origin, logger } = failure;
    if (attempt >= this.maxAttempts) {
      logger.error({ err: describeError(error), maxAttempts: this.maxAttempts }, 'handler failed on its last attempt; dead-lettering the event');
      if (await this.deadLetter(channel, queue, message, { reason: 'max-attempts', error, attempt, origin })) {
        this.metrics.onConsume(eventType, 'dead_lettered');
      }
      return;
    }
    const nextAttempt = attempt + 1;
    const delayMs = retryDelayFor(nextAttempt, this.retryDelaysMs);
    logger.warn({ err: describeError(error), nextAttempt, retryInMs: delayMs }, 'handler failed; retrying later');
    const options = republishOptions(message.properties, {
      [messageHeaders.attempt]: nextAttempt,
      [messageHeaders.originalExchange]: origin.exchange,
      [messageHeaders.originalRoutingKey]: origin.routingKey,
    });
    if (await this.mover.moveTo(channel, retryQueueName(queue.queue, delayMs), message, options)) {
      this.metrics.onConsume(eventType, 'retried');
    }
  }

  /** Copies the message to the queue's dead-letter queue with why, then acks it. */
  deadLetter(
    channel: ConfirmChannel,
    queue: ConsumerQueue,
    message: ConsumeMessage,
    why: { reason: DeadLetterReason; error: unknown; attempt: number; origin: MessageOrigin },
  ): Promise<boolean> {
    const options = republishOptions(
      message.properties,
      {
        [messageHeaders.deadLetterReason]: why.reason,
        [messageHeaders.error]: errorText(why.error),
        [messageHeaders.attempts]: why.attempt,
        [messageHeaders.originalExchange]: why.origin.exchange,
        [messageHeaders.originalRoutingKey]: why.origin.routingKey,
        [messageHeaders.originalQueue]: queue.queue,
        [messageHeaders.deadLetteredAt]: new Date().toISOString(),
      },
      [messageHeaders.attempt],
    );
    return this.mover.moveTo(channel, deadLetterQueueName(queue.queue), message, options);
  }
}

/** The error as an operator reads it in the dead-letter headers, zod issues included. */
export function errorText(error: unknown): string {
  let text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  if (error instanceof EventParseError && error.details !== undefined) text += ` ${JSON.stringify(error.details)}`;
  return text.length > 2_000 ? `${text.slice(0, 2_000)}…` : text;
}
