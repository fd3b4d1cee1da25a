import { producerOf, type EventType } from '@trendcast/events';
import type { BatchEventHandler, ConsumerQueue, EventHandler } from './handler-types.js';
import { consumerQueueName, producerExchangeName } from './topology.js';

export type Registration =
  | { kind: 'single'; handler: EventHandler<EventType> }
  | { kind: 'batch'; handler: BatchEventHandler<EventType>; maxSize: number };

/** The event types a consumer subscribed to, their handlers, and the queues that follows from them. */
export class Subscriptions {
  private readonly handlers = new Map<EventType, Registration>();

  add(type: EventType, registration: Registration): void {
    if (this.handlers.has(type)) throw new Error(`a handler for ${type} is already registered`);
    this.handlers.set(type, registration);
  }

  get(type: EventType): Registration | undefined {
    return this.handlers.get(type);
  }

  get size(): number {
    return this.handlers.size;
  }

  /** One queue per producer subscribed to, bound to the types handled. */
  queues(service: string, namespace: string | undefined): ConsumerQueue[] {
    const byProducer = new Map<string, EventType[]>();
    for (const type of this.handlers.keys()) {
      const producer = producerOf(type);
      byProducer.set(producer, [...(byProducer.get(producer) ?? []), type]);
    }
    return [...byProducer].map(([producer, routingKeys]) => ({
      producer,
      exchange: producerExchangeName(producer, namespace),
      queue: consumerQueueName(service, producer, namespace),
      routingKeys,
    }));
  }
}
