import { DeadlineExceededError, describeError, type Logger } from '@trendcast/core';
import { decodeEvent, type DomainEvent, type EventType } from '@trendcast/events';
import type { ConfirmChannel, ConsumeMessage } from 'amqplib';
import { BatchCollector, type BatchItem } from './batch-collector.js';
import type { FailureRouter } from './failure-routing.js';
import { runWithDeadline } from './handler-deadline.js';
import type { ConsumerQueue, MessageOrigin } from './handler-types.js';
import { headerNumber, headerString, messageHeaders } from './message-properties.js';
import type { MessageMover } from './message-mover.js';
import type { MessagingMetrics } from './metrics.js';
import type { Subscriptions } from './subscriptions.js';

export interface DeliveryHandlerOptions {
  logger: Logger;
  metrics: MessagingMetrics;
  subscriptions: Subscriptions;
  mover: MessageMover;
  failures: FailureRouter;
  handlerTimeoutMs: number;
}

/**
 * What happens to one delivery: decode it, run its handler (or gather it into its type's batch) within
 * the handler deadline, then ack it, or send it on its retry or dead-letter path. Every path settles
 * the message; the promise resolves once it is settled.
 */
export class DeliveryHandler {
  private readonly batches: BatchCollector;

  constructor(private readonly options: DeliveryHandlerOptions) {
    this.batches = new BatchCollector((channel, type, items) => this.runBatch(channel, type, items));
  }

  async handle(channel: ConfirmChannel, queue: ConsumerQueue, message: ConsumeMessage): Promise<void> {
    const { logger, metrics, failures, mover } = this.options;
    const headers = message.properties.headers;
    const attempt = headerNumber(headers, messageHeaders.attempt) ?? 1;
    const origin: MessageOrigin = {
      exchange: headerString(headers, messageHeaders.originalExchange) ?? message.fields.exchange,
      routingKey: headerString(headers, messageHeaders.originalRoutingKey) ?? message.fields.routingKey,
    };
    let event: DomainEvent;
    try {
      event = decodeEvent(message.content);
    } catch (error) {
      logger.error({ err: describeError(error), queue: queue.queue, messageId: message.properties.messageId, routingKey: origin.routingKey }, 'unparseable event; dead-lettering it');
      if (await failures.deadLetter(channel, queue, message, { reason: 'unparseable', error, attempt, origin })) metrics.onConsume(origin.routingKey, 'dead_lettered');
      return;
    }
    const registration = this.options.subscriptions.get(event.type);
    if (!registration) {
      logger.warn({ eventId: event.id, eventType: event.type, queue: queue.queue }, 'no handler for this event type; acking it');
      if (mover.ack(channel, message)) metrics.onConsume(event.type, 'acked');
      return;
    }
    if (registration.kind === 'batch') {
      await this.batches.add(channel, registration.maxSize, { queue, message, event, attempt, origin });
      return;
    }
    const eventLogger = this.eventLogger(event, attempt);
    try {
      await runWithDeadline(
        (signal) => registration.handler(event, { attempt, logger: eventLogger, redelivered: message.fields.redelivered, signal }),
        this.options.handlerTimeoutMs,
        `the handler of ${event.type}`,
      );
    } catch (error) {
      await failures.handlerFailed(channel, { queue, message, eventType: event.type, error, attempt, origin, logger: eventLogger });
      return;
    }
    if (mover.ack(channel, message)) metrics.onConsume(event.type, 'acked');
  }

  private eventLogger(event: DomainEvent, attempt: number): Logger {
    return this.options.logger.child({ eventId: event.id, eventType: event.type, correlationId: event.correlationId, attempt });
  }

  private async runBatch(channel: ConfirmChannel, type: EventType, items: BatchItem[]): Promise<void> {
    const { logger, metrics, failures, mover, subscriptions, handlerTimeoutMs } = this.options;
    const registration = subscriptions.get(type);
    if (registration?.kind !== 'batch') throw new Error(`no batch handler for ${type}`);
    try {
      await runWithDeadline(
        (signal) =>
          registration.handler(
            items.map((item) => item.event),
            {
              logger: logger.child({ eventType: type, batchSize: items.length }),
              attempts: items.map((item) => item.attempt),
              redelivered: items.map((item) => item.message.fields.redelivered),
              signal,
            },
          ),
        handlerTimeoutMs,
        `the batch handler of ${type}`,
      );
    } catch (error) {
      if (items.length > 1) {
        logger.warn({ err: describeError(error), eventType: type, batchSize: items.length }, 'batch handler failed; handling its events one at a time');
        if (error instanceof DeadlineExceededError) {
          // A hang would cost a whole deadline per event one after the other: side by side, one deadline in all.
          await Promise.all(items.map((item) => this.runBatch(channel, type, [item])));
          return;
        }
        // One at a time, in delivery order: only the events that fail on their own are retried later.
        for (const item of items) await this.runBatch(channel, type, [item]);
        return;
      }
      const { queue, message, event, attempt, origin } = items[0]!;
      await failures.handlerFailed(channel, { queue, message, eventType: type, error, attempt, origin, logger: this.eventLogger(event, attempt) });
      return;
    }
    for (const item of items) {
      if (mover.ack(channel, item.message)) metrics.onConsume(type, 'acked');
    }
  }
}
