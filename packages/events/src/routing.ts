import type { EventType } from './registry.js';

/** The service that produces an event: the first segment of its type (`users.user.registered` → `users`). */
export function producerOf(type: string): string {
  const producer = type.split('.', 1)[0];
  if (!producer || producer === type) throw new Error(`event type "${type}" has no producer prefix`);
  return producer;
}

/** One durable topic exchange per producing service; the routing key is the event type. */
export function exchangeFor(type: string): string {
  return `${producerOf(type)}.events`;
}

export function routingKeyFor(type: EventType): string {
  return type;
}
