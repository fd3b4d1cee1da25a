import type { Logger } from '@trendcast/core';
import type { DomainEvent, EventType } from '@trendcast/events';

export interface HandlerContext {
  /** 1 on the first delivery, then 2, 3, … on each retry. */
  attempt: number;
  /** The consumer's logger bound to this event's id, type, correlation id and attempt. */
  logger: Logger;
  /** The broker delivered this copy before (a previous handler's ack was lost): expect duplicates. */
  redelivered: boolean;
  /**
   * Aborts when the handler's deadline (handlerTimeoutMs) passes: the message has then taken the retry
   * path, so stop working (pass it to fetch, database queries, …).
   */
  signal: AbortSignal;
}

export type EventHandler<T extends EventType> = (event: DomainEvent<T>, context: HandlerContext) => Promise<void>;

export interface BatchHandlerContext {
  /** The consumer's logger bound to the batch's event type and size. */
  logger: Logger;
  /** The attempt of each event, in the order of the events. */
  attempts: readonly number[];
  /** Whether the broker delivered each event before, in the order of the events. */
  redelivered: readonly boolean[];
  /** Aborts when the batch handler's deadline passes (see HandlerContext.signal). */
  signal: AbortSignal;
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

/** One queue of a consumer: all subscribed events of one producer. */
export interface ConsumerQueue {
  producer: string;
  exchange: string;
  queue: string;
  routingKeys: EventType[];
}

/** Where a message first arrived, kept across retries and replays. */
export interface MessageOrigin {
  exchange: string;
  routingKey: string;
}
