import { decodeEvent, EventParseError, producerOf, type DomainEvent, type EventType } from '@trendcast/events';
import type { ConfirmChannel, ConsumeMessage } from 'amqplib';
import { sendToQueueConfirmed } from './confirm.js';
import { describeError, type MessagingLogger } from './logger.js';
import type { ManagedChannel } from './managed-channel.js';
import { headerNumber, headerString, messageHeaders, republishOptions, type DeadLetterReason } from './message-properties.js';
import { noopMetrics, type MessagingMetrics } from './metrics.js';
import type { RabbitConnection } from './rabbit-connection.js';
import {
  assertConsumerTopology,
  consumerQueueName,
  consumerTopologyQueues,
  deadLetterQueueName,
  defaultMaxAttempts,
  defaultRetryDelaysMs,
  producerExchangeName,
  retryDelayFor,
  retryQueueName,
} from './topology.js';

export interface HandlerContext {
  /** 1 on the first delivery, then 2, 3, … on each retry. */
  attempt: number;
  /** The consumer's logger bound to this event's id, type, correlation id and attempt. */
  logger: MessagingLogger;
  /** The broker delivered this copy before (a previous handler's ack was lost): expect duplicates. */
  redelivered: boolean;
}

export type EventHandler<T extends EventType> = (event: DomainEvent<T>, context: HandlerContext) => Promise<void>;

export interface BatchHandlerContext {
  /** The consumer's logger bound to the batch's event type and size. */
  logger: MessagingLogger;
  /** The attempt of each event, in the order of the events. */
  attempts: readonly number[];
  /** Whether the broker delivered each event before, in the order of the events. */
  redelivered: readonly boolean[];
}

/**
 * Handles several events of one type at once, all or nothing: resolve only when every event's effect
 * is durable (typically one transaction, as `handleBatchOnce` of @trendcast/outbox makes it); throw
 * and none of them counts as handled.
 */
export type BatchEventHandler<T extends EventType> = (events: DomainEvent<T>[], context: BatchHandlerContext) => Promise<void>;

export interface BatchOptions {
  /** Most events per call. Default: the consumer's prefetch (every event delivered at once). */
  maxSize?: number;
}

export interface EventConsumerOptions {
  /** The consuming service: queues are `${service}.${producer}-events`. */
  service: string;
  logger: MessagingLogger;
  metrics?: MessagingMetrics;
  /** Unacked deliveries per queue, i.e. handlers running at once per queue. Default 20. */
  prefetch?: number;
  /** Deliveries before a failing message is dead-lettered. Default 5. */
  maxAttempts?: number;
  /** Delay before the 2nd, 3rd, … attempt; the last one repeats. Default 1 s, 5 s, 30 s, 2 min. */
  retryDelaysMs?: readonly number[];
  /** Prefixes exchange and queue names; see topology.ts. Empty in production. */
  namespace?: string;
  /** How long stop() waits for running handlers. Default 30 s. */
  stopTimeoutMs?: number;
}

/** One queue of this consumer: all subscribed events of one producer. */
export interface ConsumerQueue {
  producer: string;
  exchange: string;
  queue: string;
  routingKeys: EventType[];
}

interface Consuming {
  channel: ConfirmChannel;
  consumerTags: string[];
}

type Registration =
  | { kind: 'single'; handler: EventHandler<EventType> }
  | { kind: 'batch'; handler: BatchEventHandler<EventType>; maxSize: number };

/** A decoded delivery waiting for, or part of, a batch handler call. */
interface BatchItem {
  queue: ConsumerQueue;
  message: ConsumeMessage;
  event: DomainEvent;
  attempt: number;
  origin: Origin;
}

/** Deliveries of one type from one channel, collected until the end of the current I/O turn or maxSize. */
interface PendingBatch {
  type: EventType;
  channel: ConfirmChannel;
  registration: Extract<Registration, { kind: 'batch' }>;
  items: BatchItem[];
  flushed: boolean;
  /** Settles once every item of the batch is acked, retried or dead-lettered. */
  settled: Promise<void>;
  start: (run: Promise<void>) => void;
}

/**
 * Consumes the events a service subscribed to with `on()`: one durable queue per producer,
 * manual acks, `prefetch` handlers at a time. A message is acked only after its handler
 * succeeded, or after a copy of it is safely (confirmed) in the delay or dead-letter queue.
 */
export class EventConsumer {
  private readonly handlers = new Map<EventType, Registration>();
  private readonly batches = new Map<EventType, PendingBatch>();
  private readonly logger: MessagingLogger;
  private readonly metrics: MessagingMetrics;
  private readonly prefetch: number;
  private readonly maxAttempts: number;
  private readonly retryDelaysMs: readonly number[];
  private readonly stopTimeoutMs: number;
  private readonly inFlight = new Set<Promise<void>>();
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
    if (!Number.isInteger(this.prefetch) || this.prefetch < 1) throw new Error('prefetch must be a positive integer');
    if (!Number.isInteger(this.maxAttempts) || this.maxAttempts < 1) throw new Error('maxAttempts must be a positive integer');
    if (this.retryDelaysMs.length === 0 || this.retryDelaysMs.some((delay) => !Number.isInteger(delay) || delay < 1)) {
      throw new Error('retryDelaysMs must be a non-empty list of positive integers (milliseconds)');
    }
  }

  /** Subscribes `handler` to events of `type`; call before start(). */
  on<T extends EventType>(type: T, handler: EventHandler<T>): this {
    if (this.channel) throw new Error('subscribe with on() before start(): the bindings are declared at start');
    if (this.handlers.has(type)) throw new Error(`a handler for ${type} is already registered`);
    this.handlers.set(type, { kind: 'single', handler: handler as unknown as EventHandler<EventType> });
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
    if (this.handlers.has(type)) throw new Error(`a handler for ${type} is already registered`);
    const maxSize = options.maxSize ?? this.prefetch;
    if (!Number.isInteger(maxSize) || maxSize < 1) throw new Error('maxSize must be a positive integer');
    this.handlers.set(type, { kind: 'batch', handler: handler as unknown as BatchEventHandler<EventType>, maxSize });
    return this;
  }

  /** The queues this consumer declares, one per producer it subscribes to. */
  queues(): ConsumerQueue[] {
    const byProducer = new Map<string, EventType[]>();
    for (const type of this.handlers.keys()) {
      const producer = producerOf(type);
      byProducer.set(producer, [...(byProducer.get(producer) ?? []), type]);
    }
    return [...byProducer].map(([producer, routingKeys]) => ({
      producer,
      exchange: producerExchangeName(producer, this.options.namespace),
      queue: consumerQueueName(this.options.service, producer, this.options.namespace),
      routingKeys,
    }));
  }

  /** Every queue this consumer owns: consumer queues, their delay queues and dead-letter queues. */
  queueNames(): string[] {
    return this.queues().flatMap(({ queue }) => consumerTopologyQueues(queue, this.retryDelaysMs));
  }

  /** Declares the topology and starts consuming; resolves once consuming (waits for the connection). */
  async start(): Promise<void> {
    if (this.handlers.size === 0) throw new Error(`consumer ${this.options.service} has no handlers`);
    if (this.channel) throw new Error('consumer already started');
    const queues = this.queues();
    this.channel = this.connection.channel(`consumer:${this.options.service}`, (channel) => this.setup(channel, queues));
    this.channel.open();
    await this.channel.ready();
    this.logger.info({ queues: queues.map(({ queue }) => queue) }, 'consuming');
  }

  /** Cancels the consumers, waits for running handlers (up to stopTimeoutMs), then closes the channel. */
  async stop(): Promise<void> {
    if (!this.channel || this.stopping) return;
    this.stopping = true;
    const consuming = this.consuming;
    if (consuming && consuming.channel === this.channel.current()) {
      for (const tag of consuming.consumerTags) {
        await consuming.channel.cancel(tag).catch((error: unknown) => this.logger.debug({ err: describeError(error) }, 'cancel failed'));
      }
    }
    await this.drainInFlight();
    await this.channel.close();
    this.logger.info({}, 'stopped');
  }

  private async setup(channel: ConfirmChannel, queues: ConsumerQueue[]): Promise<void> {
    await channel.prefetch(this.prefetch);
    for (const { exchange, queue, routingKeys } of queues) {
      await assertConsumerTopology(channel, { exchange, queue, routingKeys, retryDelaysMs: this.retryDelaysMs });
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
    const work = this.handleDelivery(channel, queue, message).catch((error: unknown) => {
      // Not expected: every path settles the message itself. Unsettled, it is redelivered.
      this.logger.error({ err: describeError(error), queue: queue.queue }, 'delivery handling failed');
    });
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work));
  }

  private async handleDelivery(channel: ConfirmChannel, queue: ConsumerQueue, message: ConsumeMessage): Promise<void> {
    const headers = message.properties.headers;
    const attempt = headerNumber(headers, messageHeaders.attempt) ?? 1;
    const origin = {
      exchange: headerString(headers, messageHeaders.originalExchange) ?? message.fields.exchange,
      routingKey: headerString(headers, messageHeaders.originalRoutingKey) ?? message.fields.routingKey,
    };
    let event: DomainEvent;
    try {
      event = decodeEvent(message.content);
    } catch (error) {
      this.logger.error({ err: describeError(error), queue: queue.queue, messageId: message.properties.messageId, routingKey: origin.routingKey }, 'unparseable event; dead-lettering it');
      if (await this.deadLetter(channel, queue, message, { reason: 'unparseable', error, attempt, origin })) {
        this.metrics.onConsume(origin.routingKey, 'dead_lettered');
      }
      return;
    }
    const registration = this.handlers.get(event.type);
    if (!registration) {
      this.logger.warn({ eventId: event.id, eventType: event.type, queue: queue.queue }, 'no handler for this event type; acking it');
      if (this.ack(channel, message)) this.metrics.onConsume(event.type, 'acked');
      return;
    }
    if (registration.kind === 'batch') {
      await this.addToBatch(channel, registration, { queue, message, event, attempt, origin });
      return;
    }
    const logger = this.eventLogger(event, attempt);
    try {
      await registration.handler(event, { attempt, logger, redelivered: message.fields.redelivered });
    } catch (error) {
      await this.handleFailure(channel, queue, message, { event, error, attempt, origin, logger });
      return;
    }
    if (this.ack(channel, message)) this.metrics.onConsume(event.type, 'acked');
  }

  private eventLogger(event: DomainEvent, attempt: number): MessagingLogger {
    return this.logger.child({ eventId: event.id, eventType: event.type, correlationId: event.correlationId, attempt });
  }

  /** Resolves once the item is settled (acked, retried or dead-lettered), like a single handler's delivery. */
  private addToBatch(channel: ConfirmChannel, registration: PendingBatch['registration'], item: BatchItem): Promise<void> {
    const type = item.event.type;
    let batch = this.batches.get(type);
    // Acks go to the channel a message came from, so a batch never spans two channels.
    if (batch && batch.channel !== channel) {
      this.flushBatch(batch);
      batch = undefined;
    }
    if (!batch) {
      let start!: (run: Promise<void>) => void;
      const settled = new Promise<void>((resolve) => (start = resolve));
      const created: PendingBatch = { type, channel, registration, items: [], flushed: false, settled, start };
      this.batches.set(type, created);
      // Every delivery of the current socket read arrives before this runs, so they share the batch.
      setImmediate(() => this.flushBatch(created));
      batch = created;
    }
    batch.items.push(item);
    if (batch.items.length >= registration.maxSize) this.flushBatch(batch);
    return batch.settled;
  }

  private flushBatch(batch: PendingBatch): void {
    if (batch.flushed) return;
    batch.flushed = true;
    if (this.batches.get(batch.type) === batch) this.batches.delete(batch.type);
    batch.start(this.runBatch(batch.channel, batch.registration, batch.items));
  }

  private async runBatch(channel: ConfirmChannel, registration: PendingBatch['registration'], items: BatchItem[]): Promise<void> {
    const type = items[0]!.event.type;
    try {
      await registration.handler(
        items.map((item) => item.event),
        {
          logger: this.logger.child({ eventType: type, batchSize: items.length }),
          attempts: items.map((item) => item.attempt),
          redelivered: items.map((item) => item.message.fields.redelivered),
        },
      );
    } catch (error) {
      if (items.length > 1) {
        this.logger.warn({ err: describeError(error), eventType: type, batchSize: items.length }, 'batch handler failed; handling its events one at a time');
        // One at a time, in delivery order: only the events that fail on their own are retried later.
        for (const item of items) await this.runBatch(channel, registration, [item]);
        return;
      }
      const { queue, message, event, attempt, origin } = items[0]!;
      await this.handleFailure(channel, queue, message, { event, error, attempt, origin, logger: this.eventLogger(event, attempt) });
      return;
    }
    for (const item of items) {
      if (this.ack(channel, item.message)) this.metrics.onConsume(type, 'acked');
    }
  }

  private async handleFailure(
    channel: ConfirmChannel,
    queue: ConsumerQueue,
    message: ConsumeMessage,
    failure: { event: DomainEvent; error: unknown; attempt: number; origin: Origin; logger: MessagingLogger },
  ): Promise<void> {
    const { event, error, attempt, origin, logger } = failure;
    if (attempt >= this.maxAttempts) {
      logger.error({ err: describeError(error), maxAttempts: this.maxAttempts }, 'handler failed on its last attempt; dead-lettering the event');
      if (await this.deadLetter(channel, queue, message, { reason: 'max-attempts', error, attempt, origin })) {
        this.metrics.onConsume(event.type, 'dead_lettered');
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
    if (await this.moveTo(channel, retryQueueName(queue.queue, delayMs), message, options)) {
      this.metrics.onConsume(event.type, 'retried');
    }
  }

  private async deadLetter(
    channel: ConfirmChannel,
    queue: ConsumerQueue,
    message: ConsumeMessage,
    why: { reason: DeadLetterReason; error: unknown; attempt: number; origin: Origin },
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
    return this.moveTo(channel, deadLetterQueueName(queue.queue), message, options);
  }

  /** Copies the message into `target`, and acks the original only once the copy is confirmed. */
  private async moveTo(channel: ConfirmChannel, target: string, message: ConsumeMessage, options: ReturnType<typeof republishOptions>): Promise<boolean> {
    try {
      await sendToQueueConfirmed(channel, target, message.content, options);
    } catch (error) {
      this.logger.warn({ err: describeError(error), target }, 'could not move the message; requeueing it');
      this.nack(channel, message);
      // A missing target queue means the topology is gone: a fresh channel declares it again.
      this.channel?.recycle(channel);
      return false;
    }
    return this.ack(channel, message);
  }

  /** Acks on the channel the message came from; when that channel is gone, the broker redelivers it. */
  private ack(channel: ConfirmChannel, message: ConsumeMessage): boolean {
    try {
      channel.ack(message);
      return true;
    } catch (error) {
      this.logger.debug({ err: describeError(error) }, 'channel closed before the ack; the message will be redelivered');
      return false;
    }
  }

  private nack(channel: ConfirmChannel, message: ConsumeMessage): void {
    try {
      channel.nack(message, false, true);
    } catch (error) {
      this.logger.debug({ err: describeError(error) }, 'channel closed before the nack; the message will be redelivered');
    }
  }

  private async drainInFlight(): Promise<void> {
    const deadline = Date.now() + this.stopTimeoutMs;
    while (this.inFlight.size > 0 && Date.now() < deadline) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([Promise.allSettled([...this.inFlight]), new Promise((resolve) => (timer = setTimeout(resolve, deadline - Date.now())))]);
      clearTimeout(timer);
    }
    if (this.inFlight.size > 0) this.logger.warn({ running: this.inFlight.size }, 'handlers still running at stop; their messages will be redelivered');
  }
}

interface Origin {
  exchange: string;
  routingKey: string;
}

/** The error as an operator reads it in the dead-letter headers, zod issues included. */
function errorText(error: unknown): string {
  let text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  if (error instanceof EventParseError && error.details !== undefined) text += ` ${JSON.stringify(error.details)}`;
  return text.length > 2_000 ? `${text.slice(0, 2_000)}…` : text;
}
