import { withDeadline } from '@trendcast/core';
import { RabbitConnection, type RabbitConnectionOptions } from './rabbit-connection.js';

/**
 * A service's two connections to the broker, as RabbitMQ advises: during a resource alarm the broker
 * blocks every connection that publishes, and stops reading from it, acks included. Publishing (the
 * relay's events, a consumer's retry and dead-letter copies) on one connection and consuming on the
 * other keeps acks flowing while publishing waits.
 */
export interface MessagingConnections {
  /** Give to EventPublisher, and to EventConsumer as `publishingConnection`. */
  publishing: RabbitConnection;
  /** Give to EventConsumer. */
  consuming: RabbitConnection;
  /** Connects both; with `timeoutMs`, rejects when either is not up in time (both keep trying). */
  start(options?: { timeoutMs?: number }): Promise<void>;
  /** Closes both within `timeoutMs` (default 5 s); never rejects. */
  close(options?: { timeoutMs?: number }): Promise<void>;
  isConnected(): boolean;
  /** For readiness: rejects naming the connection that is down or blocked. */
  checkReady(): Promise<void>;
}

/** Opens `<name>:publish` and `<name>:consume`, two connections with the same options. */
export function openMessagingConnections(options: RabbitConnectionOptions): MessagingConnections {
  const publishing = new RabbitConnection({ ...options, name: `${options.name}:publish` });
  const consuming = new RabbitConnection({ ...options, name: `${options.name}:consume` });
  return {
    publishing,
    consuming,
    async start(startOptions = {}) {
      await Promise.all([publishing.start(startOptions), consuming.start(startOptions)]);
    },
    async close(closeOptions = {}) {
      await withDeadline(Promise.all([publishing.close(closeOptions), consuming.close(closeOptions)]), (closeOptions.timeoutMs ?? 5_000) + 500, 'closing').catch(() => {});
    },
    isConnected: () => publishing.isConnected() && consuming.isConnected(),
    async checkReady() {
      for (const connection of [publishing, consuming]) {
        if (!connection.isConnected()) throw new Error(`RabbitMQ connection ${connection.name} is down`);
      }
      if (publishing.isBlocked()) throw new Error(`RabbitMQ blocks ${publishing.name}: ${publishing.blockedReason()}`);
    },
  };
}
