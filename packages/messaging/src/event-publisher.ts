import { describeError, sleep, type Logger } from '@trendcast/core';
import { encodeEvent, type DomainEvent } from '@trendcast/events';
import type { ConfirmChannel } from 'amqplib';
import { publishWithConfirm } from './confirm.js';
import type { ManagedChannel } from './managed-channel.js';
import { eventPublishOptions } from './message-properties.js';
import { noopMetrics, type MessagingMetrics } from './metrics.js';
import type { RabbitConnection } from './rabbit-connection.js';
import { assertProducerExchange, exchangeForType } from './topology.js';

export interface EventPublisherOptions {
  logger?: Logger;
  metrics?: MessagingMetrics;
  /**
   * The whole time budget of one publish(): waiting for a connection, the broker's confirm, and
   * re-publishing after a lost channel. Past it, publish() rejects. Default 30 s.
   */
  confirmTimeoutMs?: number;
  /** Prefixes exchange names (`<namespace>.users.events`); see topology.ts. Empty in production. */
  namespace?: string;
}

export class PublishError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PublishError';
  }
}

/**
 * Publishes domain events to their producer's topic exchange (routing key = event type) on a
 * confirm channel, persistent, with `messageId` = event id. publish() resolves only once the
 * broker confirms; many publishes may be outstanding at once. A publish cut off by a lost
 * connection is sent again once reconnected, so a consumer may see an event twice: handlers
 * are idempotent by event id.
 */
export class EventPublisher {
  private readonly channel: ManagedChannel;
  private readonly logger: Logger;
  private readonly metrics: MessagingMetrics;
  private readonly confirmTimeoutMs: number;
  private readonly namespace: string | undefined;
  /** Exchanges asserted on each channel, so a publish never hits a missing exchange. */
  private readonly assertedExchanges = new WeakMap<ConfirmChannel, Map<string, Promise<void>>>();
  private readonly drains = new WeakMap<ConfirmChannel, Promise<void>>();

  constructor(connection: RabbitConnection, options: EventPublisherOptions = {}) {
    this.logger = (options.logger ?? connection.logger).child({ component: 'event-publisher' });
    this.metrics = options.metrics ?? noopMetrics;
    this.confirmTimeoutMs = options.confirmTimeoutMs ?? 30_000;
    this.namespace = options.namespace;
    this.channel = connection.channel('event-publisher', async () => {});
    this.channel.open();
  }

  async publish(event: DomainEvent): Promise<void> {
    const deadline = Date.now() + this.confirmTimeoutMs;
    const exchange = exchangeForType(event.type, this.namespace);
    const content = encodeEvent(event);
    const options = eventPublishOptions(event);
    let lastError: unknown;
    for (let tries = 0; Date.now() < deadline; tries += 1) {
      if (tries > 0) await sleep(Math.min(50 * tries, 1_000, Math.max(0, deadline - Date.now())));
      try {
        const channel = await this.channel.ready(deadline - Date.now());
        await this.assertExchange(channel, exchange);
        await this.drains.get(channel);
        const pending = publishWithConfirm(channel, exchange, event.type, content, options);
        if (!pending.writable) this.waitForDrain(channel);
        await withDeadline(pending.confirmed, deadline);
        this.metrics.onPublish(event.type);
        return;
      } catch (error) {
        lastError = error;
        if (error instanceof ConfirmTimeoutError || this.channel.isClosed()) break;
        this.logger.debug({ err: describeError(error), eventId: event.id, tries }, 'publish not confirmed; sending again');
      }
    }
    this.metrics.onPublishFailed?.(event.type);
    const reason = lastError instanceof Error ? lastError.message : String(lastError);
    this.logger.warn({ eventId: event.id, eventType: event.type, reason }, 'publish failed');
    throw new PublishError(`event ${event.id} (${event.type}) was not confirmed within ${this.confirmTimeoutMs} ms: ${reason}`, { cause: lastError });
  }

  /** Stops publishing; publishes still waiting reject. */
  async close(): Promise<void> {
    await this.channel.close();
  }

  private assertExchange(channel: ConfirmChannel, exchange: string): Promise<void> {
    let asserted = this.assertedExchanges.get(channel);
    if (!asserted) {
      asserted = new Map();
      this.assertedExchanges.set(channel, asserted);
    }
    let assertion = asserted.get(exchange);
    if (!assertion) {
      assertion = assertProducerExchange(channel, exchange);
      asserted.set(exchange, assertion);
      // A failed assertion closes the channel; the next channel asserts again.
      assertion.catch(() => asserted.delete(exchange));
    }
    return assertion;
  }

  /** Holds further publishes on this channel until its socket buffer drains (or it closes). */
  private waitForDrain(channel: ConfirmChannel): void {
    if (this.drains.has(channel)) return;
    const drained = new Promise<void>((resolve) => {
      const done = () => {
        channel.off('drain', done);
        channel.off('close', done);
        this.drains.delete(channel);
        resolve();
      };
      channel.on('drain', done);
      channel.on('close', done);
    });
    this.drains.set(channel, drained);
  }
}

class ConfirmTimeoutError extends Error {
  constructor() {
    super('no broker confirm in time');
    this.name = 'ConfirmTimeoutError';
  }
}

function withDeadline<T>(promise: Promise<T>, deadline: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new ConfirmTimeoutError()), Math.max(0, deadline - Date.now()));
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
