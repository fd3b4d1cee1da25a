import { DeadlineExceededError, describeError, sleep, withDeadline, type Logger } from '@trendcast/core';
import { encodeEvent, type DomainEvent } from '@trendcast/events';
import type { ConfirmChannel, Options } from 'amqplib';
import { NackedError, publishMandatory, UnroutableError } from './confirm.js';
import { InFlightPublishes } from './in-flight-publishes.js';
import type { ManagedChannel } from './managed-channel.js';
import { eventPublishOptions } from './message-properties.js';
import { noopMetrics, type MessagingMetrics } from './metrics.js';
import { ensureProducerExchange } from './producer-exchange.js';
import { PublishError, type PublishFailure } from './publish-error.js';
import type { RabbitConnection } from './rabbit-connection.js';
import { exchangeForType } from './topology.js';

export { PublishError, type PublishFailure } from './publish-error.js';

export interface EventPublisherOptions {
  logger?: Logger;
  metrics?: MessagingMetrics;
  /**
   * The whole time budget of one publish(): waiting for a connection, for the socket to drain, for the
   * broker's confirm, and re-publishing after a lost channel. Past it, publish() rejects. Default 30 s.
   */
  confirmTimeoutMs?: number;
  /** Prefixes exchange names (`<namespace>.users.events`); see topology.ts. Empty in production. */
  namespace?: string;
  /**
   * Larger events are refused without being sent (event-rejected): a message over the broker's
   * `max_message_size` closes the channel, failing every publish in flight with it. Default 16 MiB
   * (RabbitMQ 4's default limit; 3.x allows 128 MiB).
   */
  maxMessageBytes?: number;
  /** How long a confirm that arrived after its publish() gave up is remembered (see InFlightPublishes). Default 10 min. */
  lateConfirmMemoryMs?: number;
  /**
   * At most this many bytes of messages written and not yet confirmed; past it, publish() waits (within
   * its deadline) for confirms before writing. It bounds the memory a stalled socket or a broker that
   * stopped reading can make this process hold, whatever the size of the events. Default 16 MiB.
   */
  maxUnconfirmedBytes?: number;
}

/**
 * Publishes domain events to their producer's topic exchange (routing key = event type) on a confirm
 * channel, persistent and mandatory, with `messageId` = event id. publish() resolves only once the
 * broker confirms; many publishes may be outstanding at once. It never sends a copy after it reported
 * failure, and never writes while the broker blocks the connection or while the socket does not drain:
 * memory stays bounded whatever the broker does. A publish cut off by a lost connection is sent again
 * once reconnected (within its budget), so a consumer may see an event twice: handlers are idempotent
 * by event id.
 */
export class EventPublisher {
  private readonly channel: ManagedChannel;
  private readonly logger: Logger;
  private readonly metrics: MessagingMetrics;
  private readonly confirmTimeoutMs: number;
  private readonly maxMessageBytes: number;
  private readonly maxUnconfirmedBytes: number;
  private readonly namespace: string | undefined;
  private readonly inFlight: InFlightPublishes;
  /** Exchanges declared for each channel, so a publish never hits a missing exchange. */
  private readonly declaredExchanges = new WeakMap<ConfirmChannel, Map<string, Promise<unknown>>>();
  private readonly drains = new WeakMap<ConfirmChannel, Promise<void>>();

  constructor(
    private readonly connection: RabbitConnection,
    options: EventPublisherOptions = {},
  ) {
    this.logger = (options.logger ?? connection.logger).child({ component: 'event-publisher' });
    this.metrics = options.metrics ?? noopMetrics;
    this.confirmTimeoutMs = options.confirmTimeoutMs ?? 30_000;
    this.maxMessageBytes = options.maxMessageBytes ?? 16 * 1024 * 1024;
    this.maxUnconfirmedBytes = options.maxUnconfirmedBytes ?? 16 * 1024 * 1024;
    this.namespace = options.namespace;
    this.inFlight = new InFlightPublishes(options.lateConfirmMemoryMs ?? 10 * 60_000);
    this.channel = connection.channel('event-publisher', async () => {});
    this.channel.open();
  }

  async publish(event: DomainEvent): Promise<void> {
    const deadline = performance.now() + this.confirmTimeoutMs;
    try {
      await this.publishBefore(event, deadline);
      this.metrics.onPublish(event.type);
    } catch (error) {
      const failure = publishFailureOf(error, this.connection.isBlocked());
      this.metrics.onPublishFailed?.(event.type);
      this.logger.warn({ eventId: event.id, eventType: event.type, failure, err: describeError(error) }, 'publish failed');
      throw new PublishError(`event ${event.id} (${event.type}) was not published: ${reasonOf(error, this.confirmTimeoutMs)}`, failure, { cause: error });
    }
  }

  /** Resolves once publishing may succeed: connected, and not blocked by the broker (the relay waits on it). */
  whenPublishable(): Promise<void> {
    return this.connection.whenPublishable();
  }

  /** Copies written and not yet confirmed. */
  unconfirmed(): number {
    return this.inFlight.unconfirmed();
  }

  /** Bytes of the copies written and not yet confirmed (at most maxUnconfirmedBytes, or one message). */
  unconfirmedBytes(): number {
    return this.inFlight.unconfirmedBytes();
  }

  /** Stops publishing; publishes still waiting reject. */
  async close(): Promise<void> {
    await this.channel.close();
  }

  private async publishBefore(event: DomainEvent, deadline: number): Promise<void> {
    const { exchange, content, options } = this.prepare(event);
    if (this.inFlight.wasConfirmedLate(event.id)) return;
    for (let tries = 0; ; tries += 1) {
      if (tries > 0) await sleep(Math.min(50 * tries, 1_000, remaining(deadline)));
      if (remaining(deadline) <= 0) throw new DeadlineExceededError('the broker confirm', this.confirmTimeoutMs);
      try {
        this.refuseWhileBlocked();
        // A copy already on the wire (an earlier publish gave up on it) is awaited, not sent again.
        const earlier = this.inFlight.inFlight(event.id);
        if (earlier) return await this.await(earlier, deadline);
        const channel = await this.channel.ready(remaining(deadline));
        await withDeadline(this.declareExchange(channel, exchange), remaining(deadline), `declaring exchange ${exchange}`);
        // Checked in the same turn as the write below, so a burst stops writing as soon as the buffer is full
        // or the unconfirmed bytes reach their bound.
        for (;;) {
          const drain = this.drains.get(channel);
          if (drain) {
            await withDeadline(drain, remaining(deadline), 'the socket to drain');
            continue;
          }
          const held = this.inFlight.unconfirmedBytes();
          if (held === 0 || held + content.length <= this.maxUnconfirmedBytes) break;
          await withDeadline(this.inFlight.nextSettlement(), remaining(deadline), 'confirms of the messages already written');
        }
        // Checked again right before writing: nothing is written while blocked, nor past the deadline.
        this.refuseWhileBlocked();
        if (remaining(deadline) <= 0) throw new DeadlineExceededError('the broker confirm', this.confirmTimeoutMs);
        const written = publishMandatory(channel, exchange, event.type, content, options);
        if (!written.writable) this.waitForDrain(channel);
        return await this.await(this.inFlight.track(event.id, channel, written.confirmed, content.length), deadline, true);
      } catch (error) {
        if (!retryable(error) || this.channel.isClosed()) throw error;
        this.logger.debug({ err: describeError(error), eventId: event.id, tries }, 'publish not confirmed; sending again');
      }
    }
  }

  private prepare(event: DomainEvent): { exchange: string; content: Buffer; options: Options.Publish } {
    try {
      const exchange = exchangeForType(event.type, this.namespace);
      const content = encodeEvent(event);
      if (content.length > this.maxMessageBytes) {
        throw new Error(`the event is ${content.length} bytes, over the ${this.maxMessageBytes} bytes a message may have`);
      }
      return { exchange, content, options: eventPublishOptions(event) };
    } catch (error) {
      throw new PublishError(`event ${event.id} cannot be published: ${error instanceof Error ? error.message : String(error)}`, 'event-rejected', { cause: error });
    }
  }

  private refuseWhileBlocked(): void {
    if (this.connection.isBlocked()) {
      throw new PublishError(`the broker blocks publishing (${this.connection.blockedReason()})`, 'broker-blocked');
    }
  }

  /** Waits for a copy's confirm within the deadline, counted among the copy's waiters meanwhile. */
  private async await(copy: { confirmed: Promise<void>; waiting: number }, deadline: number, alreadyCounted = false): Promise<void> {
    if (!alreadyCounted) copy.waiting += 1;
    try {
      await withDeadline(copy.confirmed, remaining(deadline), 'the broker confirm');
    } finally {
      copy.waiting -= 1;
    }
  }

  private declareExchange(channel: ConfirmChannel, exchange: string): Promise<unknown> {
    let declared = this.declaredExchanges.get(channel);
    if (!declared) {
      declared = new Map();
      this.declaredExchanges.set(channel, declared);
    }
    let declaration = declared.get(exchange);
    if (!declaration) {
      const live = this.connection.current();
      declaration = live ? ensureProducerExchange(live, exchange, this.logger) : Promise.reject(new Error('not connected'));
      declared.set(exchange, declaration);
      // A failed declaration is tried again by the next publish.
      declaration.catch(() => declared.delete(exchange));
    }
    return declaration;
  }

  /** Holds further publishes on this channel until its buffer drains (or it closes). */
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

function remaining(deadline: number): number {
  return Math.max(0, deadline - performance.now());
}

/** Errors after which sending again (within the budget) may succeed: a lost channel or connection. */
function retryable(error: unknown): boolean {
  return !(error instanceof PublishError || error instanceof DeadlineExceededError || error instanceof NackedError || error instanceof UnroutableError);
}

function publishFailureOf(error: unknown, blocked: boolean): PublishFailure {
  if (error instanceof PublishError) return error.failure;
  if (error instanceof NackedError || error instanceof UnroutableError) return 'event-rejected';
  return blocked ? 'broker-blocked' : 'broker-unavailable';
}

function reasonOf(error: unknown, confirmTimeoutMs: number): string {
  if (error instanceof DeadlineExceededError) return `no broker confirm within ${confirmTimeoutMs} ms (waiting for ${error.what})`;
  return error instanceof Error ? error.message : String(error);
}
