import { DeadlineExceededError, describeError, withDeadline, type Logger } from '@trendcast/core';
import type { EventType } from '@trendcast/events';
import type { Channel, ConfirmChannel, ConsumeMessage } from 'amqplib';
import { isPermanentSetupError, TopologyConflictError } from './broker-errors.js';
import { DeliveryHandler } from './delivery-handler.js';
import { FailureRouter } from './failure-routing.js';
import type { BatchEventHandler, BatchOptions, ConsumerQueue, EventHandler } from './handler-types.js';
import type { ManagedChannel } from './managed-channel.js';
import { MessageMover } from './message-mover.js';
import { noopMetrics, type MessagingMetrics } from './metrics.js';
import { ensureProducerExchange } from './producer-exchange.js';
import { migrateConsumerQueue, type QueueMigration } from './queue-migration.js';
import type { RabbitConnection } from './rabbit-connection.js';
import { Subscriptions } from './subscriptions.js';
import {
  assertConsumerTopology,
  consumerTopologyQueues,
  defaultDeliveryLimit,
  defaultMaxAttempts,
  defaultRetryDelaysMs,
  type ConsumerQueueTopology,
  type QueueType,
} from './topology.js';
import { withChannel } from './with-channel.js';

export type {
  BatchEventHandler,
  BatchHandlerContext,
  BatchOptions,
  ConsumerQueue,
  EventHandler,
  HandlerContext,
} from './handler-types.js';

export interface EventConsumerOptions {
  /** The consuming service: queues are `${service}.${producer}-events`. */
  service: string;
  logger: Logger;
  metrics?: MessagingMetrics;
  /** Unacked deliveries per queue, i.e. handlers running at once per queue. Default 20. */
  prefetch?: number;
  /** Deliveries before a failing message is dead-lettered. Default 5. */
  maxAttempts?: number;
  /** Delay before the 2nd, 3rd, … attempt; the last one repeats. Default 1 s, 5 s, 30 s, 2 min. */
  retryDelaysMs?: readonly number[];
  /** Prefixes exchange and queue names; see topology.ts. Empty in production. */
  namespace?: string;
  /** How long stop() may take in all (cancel, running handlers, close). Default 30 s. */
  stopTimeoutMs?: number;
  /** Default quorum (see topology.ts). */
  queueType?: QueueType;
  /**
   * Quorum queues: deliveries of one attempt that may end without an outcome (the process died, the
   * connection was lost) before the broker dead-letters the message. Default 5 (6 deliveries).
   */
  deliveryLimit?: number;
  /** A handler still running after this long has failed: its message takes the retry path. Default 60 s. */
  handlerTimeoutMs?: number;
  /**
   * The connection retry and dead-letter copies are published on. Give it the service's publishing
   * connection (openMessagingConnections): the broker blocks connections that publish during a resource
   * alarm, and a consuming connection that publishes copies would then stop acking too. Default: the
   * consuming connection.
   */
  publishingConnection?: RabbitConnection;
  /** A retry or dead-letter copy not confirmed within this time counts as failed (the original is requeued). Default 10 s. */
  copyTimeoutMs?: number;
  /** How long start() may take: connecting, declaring the queues, subscribing. Default 30 s. */
  startTimeoutMs?: number;
  /**
   * How an operator runs migrateQueues() for this service (a command, e.g. `npm run migrate:queues -w
   * @trendcast/trends`): the TopologyConflictError of a refused queue declaration names it.
   */
  queueMigrationStep?: string;
}

interface Consuming {
  channel: ConfirmChannel;
  consumerTags: string[];
}

/**
 * Consumes the events a service subscribed to with `on()`: one durable queue per producer,
 * manual acks, `prefetch` handlers at a time. A message is acked only after its handler
 * succeeded, or after a copy of it is safely (confirmed) in the delay or dead-letter queue.
 */
export class EventConsumer {
  private readonly subscriptions = new Subscriptions();
  private readonly logger: Logger;
  private readonly metrics: MessagingMetrics;
  private readonly prefetch: number;
  private readonly maxAttempts: number;
  private readonly retryDelaysMs: readonly number[];
  private readonly stopTimeoutMs: number;
  private readonly queueType: QueueType;
  private readonly deliveryLimit: number;
  private readonly handlerTimeoutMs: number;
  private readonly startTimeoutMs: number;
  private readonly copyConnection: RabbitConnection;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly deliveries: DeliveryHandler;
  private readonly copyChannel: ManagedChannel;
  private channel: ManagedChannel | undefined;
  private consuming: Consuming | undefined;
  private stopping = false;

  constructor(
    private readonly connection: RabbitConnection,
    private readonly options: EventConsumerOptions,
  ) {
    this.logger = options.logger.child({ component: 'event-consumer', consumer: options.service });
    this.metrics = options.metrics ?? noopMetrics;
    this.prefetch = options.prefetch ?? 20;
    this.maxAttempts = options.maxAttempts ?? defaultMaxAttempts;
    this.retryDelaysMs = options.retryDelaysMs ?? defaultRetryDelaysMs;
    this.stopTimeoutMs = options.stopTimeoutMs ?? 30_000;
    this.queueType = options.queueType ?? 'quorum';
    this.deliveryLimit = options.deliveryLimit ?? defaultDeliveryLimit;
    this.handlerTimeoutMs = options.handlerTimeoutMs ?? 60_000;
    this.startTimeoutMs = options.startTimeoutMs ?? 30_000;
    this.copyConnection = options.publishingConnection ?? connection;
    if (!Number.isInteger(this.prefetch) || this.prefetch < 1) throw new Error('prefetch must be a positive integer');
    if (!Number.isInteger(this.deliveryLimit) || this.deliveryLimit < 0) throw new Error('deliveryLimit must be 0 or a positive integer');
    if (!(this.handlerTimeoutMs > 0)) throw new Error('handlerTimeoutMs must be positive');
    if (!Number.isInteger(this.maxAttempts) || this.maxAttempts < 1) throw new Error('maxAttempts must be a positive integer');
    if (this.retryDelaysMs.length === 0 || this.retryDelaysMs.some((delay) => !Number.isInteger(delay) || delay < 1)) {
      throw new Error('retryDelaysMs must be a non-empty list of positive integers (milliseconds)');
    }
    this.copyChannel = this.copyConnection.channel(`consumer-copies:${options.service}`, async () => {});
    const mover = new MessageMover({
      logger: this.logger,
      copyChannel: this.copyChannel,
      copyConnection: this.copyConnection,
      copyTimeoutMs: options.copyTimeoutMs ?? 10_000,
      // A missing target queue means the topology is gone: a fresh channel declares it again.
      onCopyFailed: (channel) => this.channel?.recycle(channel),
    });
    this.deliveries = new DeliveryHandler({
      logger: this.logger,
      metrics: this.metrics,
      subscriptions: this.subscriptions,
      mover,
      failures: new FailureRouter(mover, this.metrics, this.maxAttempts, this.retryDelaysMs),
      handlerTimeoutMs: this.handlerTimeoutMs,
    });
  }

  /** Subscribes `handler` to events of `type`; call before start(). */
  on<T extends EventType>(type: T, handler: EventHandler<T>): this {
    if (this.channel) throw new Error('subscribe with on() before start(): the bindings are declared at start');
    this.subscriptions.add(type, { kind: 'single', handler: handler as unknown as EventHandler<EventType> });
    return this;
  }

  /**
   * Subscribes a batch handler to events of `type`; call before start(). The events of this type
   * delivered together (in one read from the socket, up to `maxSize`) reach the handler in one call,
   * in delivery order, and are acked together once it resolves. When it throws, the events are
   * handled again one at a time (each as a batch of one), so only the ones that fail on their own go
   * to the delay and dead-letter queues, each with its own attempt count.
   */
  onBatch<T extends EventType>(type: T, handler: BatchEventHandler<T>, options: BatchOptions = {}): this {
    if (this.channel) throw new Error('subscribe with onBatch() before start(): the bindings are declared at start');
    const maxSize = options.maxSize ?? this.prefetch;
    if (!Number.isInteger(maxSize) || maxSize < 1) throw new Error('maxSize must be a positive integer');
    this.subscriptions.add(type, { kind: 'batch', handler: handler as unknown as BatchEventHandler<EventType>, maxSize });
    return this;
  }

  /** The queues this consumer declares, one per producer it subscribes to. */
  queues(): ConsumerQueue[] {
    return this.subscriptions.queues(this.options.service, this.options.namespace);
  }

  /** Every queue this consumer owns: consumer queues, their delay queues and dead-letter queues. */
  queueNames(): string[] {
    return this.queues().flatMap(({ queue }) => consumerTopologyQueues(queue, this.retryDelaysMs));
  }

  /** The longest a message can take from its first delivery to its dead letter: every handler deadline and retry delay. */
  longestRetryPathMs(): number {
    let total = this.handlerTimeoutMs;
    for (let attempt = 2; attempt <= this.maxAttempts; attempt += 1) {
      total += this.retryDelaysMs[Math.min(attempt - 2, this.retryDelaysMs.length - 1)]! + this.handlerTimeoutMs;
    }
    return total;
  }

  /**
   * Declares this consumer's queues, bindings and producer exchanges without consuming, so events
   * published before the service first consumes wait in its queues. A deploy step can run it before
   * the producers start.
   */
  async declareTopology(): Promise<void> {
    const live = await this.connection.waitForConnection(this.startTimeoutMs);
    for (const queue of this.queues()) {
      await ensureProducerExchange(live, queue.exchange, this.logger);
      await withChannel(this.connection, (channel) => this.declareQueue(channel, queue));
    }
  }

  /**
   * Moves queues declared before quorum queues (classic) to the topology this consumer declares,
   * without losing a message (see queue-migration.ts), then declares everything. Run it with no other
   * instance consuming these queues (it refuses otherwise), before start(); a no-op once done.
   */
  async migrateQueues(): Promise<QueueMigration[]> {
    const results: QueueMigration[] = [];
    for (const queue of this.queues()) results.push(await migrateConsumerQueue(this.connection, this.topologyOf(queue), { logger: this.logger }));
    await this.declareTopology();
    return results;
  }

  /**
   * Declares the topology and starts consuming; resolves once consuming. Rejects within `timeoutMs`
   * (default startTimeoutMs) when the broker stays unreachable, and at once when the broker refuses a
   * declaration (TopologyConflictError naming the queue, e.g. a classic queue from before quorum queues).
   */
  async start(options: { timeoutMs?: number } = {}): Promise<void> {
    if (this.subscriptions.size === 0) throw new Error(`consumer ${this.options.service} has no handlers`);
    if (this.channel) throw new Error('consumer already started');
    const timeoutMs = options.timeoutMs ?? this.startTimeoutMs;
    const queues = this.queues();
    const channel = this.connection.channel(`consumer:${this.options.service}`, (opened) => this.setup(opened, queues));
    this.channel = channel;
    this.copyChannel.open();
    channel.open();
    try {
      await channel.ready(timeoutMs, { failOn: isPermanentSetupError });
    } catch (error) {
      this.stopping = true;
      await Promise.all([channel.close(), this.copyChannel.close()]);
      if (isPermanentSetupError(error)) throw error;
      const problem = channel.problem();
      throw new DeadlineExceededError(
        `starting consumer ${this.options.service} (connecting to RabbitMQ, declaring ${queues.map(({ queue }) => queue).join(', ')}, subscribing)${problem ? `; last error: ${describeError(problem).message}` : ''}`,
        timeoutMs,
      );
    }
    this.logger.info({ queues: queues.map(({ queue }) => queue), queueType: this.queueType }, 'consuming');
  }

  /**
   * For readiness checks: resolves while consuming; rejects with why not (not started, stopping,
   * waiting for the broker, or the broker refusing a declaration).
   */
  async checkReady(): Promise<void> {
    if (!this.channel) throw new Error('event consumer not started');
    if (this.stopping) throw new Error('event consumer stopping');
    const live = this.channel.current();
    if (live && this.consuming?.channel === live) return;
    const problem = this.channel.problem();
    throw new Error(problem ? `not consuming: ${describeError(problem).message}` : 'not consuming: waiting for RabbitMQ');
  }

  /**
   * Cancels the consumers, waits for running handlers, then closes its channels, all within
   * `timeoutMs` (default stopTimeoutMs). Never rejects: handlers still running are left behind, and
   * their messages redelivered once the connection closes.
   */
  async stop(options: { timeoutMs?: number } = {}): Promise<void> {
    if (!this.channel || this.stopping) return;
    this.stopping = true;
    const deadline = performance.now() + (options.timeoutMs ?? this.stopTimeoutMs);
    // Closing the channels takes a round trip each; keep time for it.
    const closeReserveMs = Math.min(2_000, (options.timeoutMs ?? this.stopTimeoutMs) / 4);
    const consuming = this.consuming;
    if (consuming && consuming.channel === this.channel.current()) {
      const cancels = consuming.consumerTags.map((tag) => consuming.channel.cancel(tag));
      await withDeadline(Promise.all(cancels), Math.max(0, deadline - performance.now() - closeReserveMs), 'cancelling the consumers').catch((error: unknown) =>
        this.logger.debug({ err: describeError(error) }, 'cancel failed'),
      );
    }
    await this.drainInFlight(deadline - closeReserveMs);
    await withDeadline(Promise.all([this.channel.close(), this.copyChannel.close()]), Math.max(1, deadline - performance.now()), 'closing the channels').catch(
      (error: unknown) => this.logger.warn({ err: describeError(error) }, 'channels did not close in time'),
    );
    this.logger.info({}, 'stopped');
  }

  private topologyOf(queue: ConsumerQueue): ConsumerQueueTopology {
    return {
      exchange: queue.exchange,
      queue: queue.queue,
      routingKeys: queue.routingKeys,
      retryDelaysMs: this.retryDelaysMs,
      queueType: this.queueType,
      deliveryLimit: this.deliveryLimit,
    };
  }

  /** Declares one queue's topology; a refused declaration names this service's migration step. */
  private async declareQueue(channel: Channel, queue: ConsumerQueue): Promise<void> {
    try {
      await assertConsumerTopology(channel, this.topologyOf(queue));
    } catch (error) {
      const step = this.options.queueMigrationStep;
      if (!(error instanceof TopologyConflictError) || error.kind !== 'queue' || !step) throw error;
      throw new TopologyConflictError(error.kind, error.entity, error.brokerMessage, step);
    }
  }

  private async setup(channel: ConfirmChannel, queues: ConsumerQueue[]): Promise<void> {
    await channel.prefetch(this.prefetch);
    const live = this.connection.current();
    for (const queue of queues) {
      if (live) await ensureProducerExchange(live, queue.exchange, this.logger);
      await this.declareQueue(channel, queue);
    }
    if (this.stopping) return;
    const consumerTags: string[] = [];
    for (const consumerQueue of queues) {
      const { consumerTag } = await channel.consume(consumerQueue.queue, (message) => this.onDelivery(channel, consumerQueue, message), { noAck: false });
      consumerTags.push(consumerTag);
    }
    this.consuming = { channel, consumerTags };
  }

  private onDelivery(channel: ConfirmChannel, queue: ConsumerQueue, message: ConsumeMessage | null): void {
    if (message === null) {
      // The broker cancelled us (queue deleted, node going down): a fresh channel re-declares and resubscribes.
      this.logger.warn({ queue: queue.queue }, 'consumer cancelled by the broker; subscribing again');
      this.channel?.recycle(channel);
      return;
    }
    const work = this.deliveries.handle(channel, queue, message).catch((error: unknown) => {
      // Not expected: every path settles the message itself. Unsettled, it is redelivered.
      this.logger.error({ err: describeError(error), queue: queue.queue }, 'delivery handling failed');
    });
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work));
  }

  private async drainInFlight(deadline: number): Promise<void> {
    while (this.inFlight.size > 0 && performance.now() < deadline) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([Promise.allSettled([...this.inFlight]), new Promise((resolve) => (timer = setTimeout(resolve, deadline - performance.now())))]);
      clearTimeout(timer);
    }
    if (this.inFlight.size > 0) this.logger.warn({ running: this.inFlight.size }, 'handlers still running at stop; their messages will be redelivered');
  }
}
