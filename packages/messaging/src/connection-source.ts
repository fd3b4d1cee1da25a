import type { Logger } from '@trendcast/core';
import type { ChannelModel } from 'amqplib';

/**
 * What a ManagedChannel needs from the connection it lives on: the live amqplib connection, a call
 * on every new one, and the pace of retries. RabbitConnection implements it; keeping it here lets
 * ManagedChannel and RabbitConnection depend on this file instead of on each other.
 */
export interface ConnectionSource {
  readonly name: string;
  readonly logger: Logger;
  /** First delay before re-opening a failed channel; it doubles (with jitter) up to the maximum. */
  readonly minReconnectDelayMs: number;
  readonly maxReconnectDelayMs: number;
  /** Calls `listener` with every new connection, now if one is live; returns an unsubscribe function. */
  onConnect(listener: (connection: ChannelModel) => void): () => void;
  /** The live amqplib connection, if any. */
  current(): ChannelModel | undefined;
}
