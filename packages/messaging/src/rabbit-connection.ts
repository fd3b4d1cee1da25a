import { backoffDelay, describeError, type Logger } from '@trendcast/core';
import amqp, { type ChannelModel } from 'amqplib';
import type { ConnectionSource } from './connection-source.js';
import { ManagedChannel, type ChannelSetup } from './managed-channel.js';
import type { MessagingMetrics } from './metrics.js';

export interface RabbitConnectionOptions {
  url: string;
  /** Shown as the connection name in the broker's management UI. */
  name: string;
  logger: Logger;
  /** First reconnect delay; it doubles (with jitter) up to `maxReconnectDelayMs`. Default 200 ms. */
  minReconnectDelayMs?: number;
  /** Default 15 s. */
  maxReconnectDelayMs?: number;
  /** AMQP heartbeat, so a silently dead peer is noticed; ignored when the URL sets `heartbeat`. Default 10 s. */
  heartbeatSeconds?: number;
  /** How long one TCP connect + AMQP handshake may take. Default 10 s. */
  connectTimeoutMs?: number;
  metrics?: Pick<MessagingMetrics, 'onReconnect'>;
}

type ConnectListener = (connection: ChannelModel) => void;

interface Waiter {
  resolve(connection: ChannelModel): void;
  reject(error: Error): void;
}

export class ConnectionClosedError extends Error {
  constructor() {
    super('the RabbitMQ connection was closed by its owner');
    this.name = 'ConnectionClosedError';
  }
}

/**
 * One AMQP connection that heals itself: amqplib never reconnects, so this does, with
 * exponential backoff and jitter, and tells every registered channel to set itself up again
 * (topology, consumers) on each new connection.
 */
export class RabbitConnection implements ConnectionSource {
  readonly name: string;
  readonly logger: Logger;
  readonly minReconnectDelayMs: number;
  readonly maxReconnectDelayMs: number;
  private readonly url: string;
  private readonly connectTimeoutMs: number;
  private readonly metrics: Pick<MessagingMetrics, 'onReconnect'> | undefined;
  private connection: ChannelModel | undefined;
  private started = false;
  private closed = false;
  private connecting = false;
  private everConnected = false;
  private failures = 0;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private readonly listeners = new Set<ConnectListener>();
  private readonly waiters = new Set<Waiter>();
  private readonly channels = new Set<ManagedChannel>();

  constructor(options: RabbitConnectionOptions) {
    this.name = options.name;
    this.logger = options.logger.child({ component: 'rabbitmq', connection: options.name });
    this.minReconnectDelayMs = options.minReconnectDelayMs ?? 200;
    this.maxReconnectDelayMs = options.maxReconnectDelayMs ?? 15_000;
    this.connectTimeoutMs = options.connectTimeoutMs ?? 10_000;
    this.metrics = options.metrics;
    this.url = withHeartbeat(options.url, options.heartbeatSeconds ?? 10);
  }

  /** Resolves once connected; keeps retrying with backoff until then, and reconnects after every loss. */
  async start(): Promise<void> {
    if (this.closed) throw new ConnectionClosedError();
    if (!this.started) {
      this.started = true;
      void this.connect();
    }
    await this.waitForConnection();
  }

  isConnected(): boolean {
    return this.connection !== undefined;
  }

  /** The live amqplib connection, if any. */
  current(): ChannelModel | undefined {
    return this.connection;
  }

  /** The live connection, or the next one; rejects after `timeoutMs` or when closed. */
  waitForConnection(timeoutMs?: number): Promise<ChannelModel> {
    if (this.closed) return Promise.reject(new ConnectionClosedError());
    if (this.connection) return Promise.resolve(this.connection);
    return new Promise((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const waiter: Waiter = {
        resolve: (connection) => {
          clearTimeout(timer);
          this.waiters.delete(waiter);
          resolve(connection);
        },
        reject: (error) => {
          clearTimeout(timer);
          this.waiters.delete(waiter);
          reject(error);
        },
      };
      if (timeoutMs !== undefined) {
        timer = setTimeout(() => waiter.reject(new Error(`RabbitMQ connection "${this.name}" not available within ${timeoutMs} ms`)), timeoutMs);
      }
      this.waiters.add(waiter);
    });
  }

  /**
   * Calls `listener` with every new connection, now if one is live. The listener must not throw;
   * it opens its channels and handles their failures itself. Returns an unsubscribe function.
   */
  onConnect(listener: ConnectListener): () => void {
    this.listeners.add(listener);
    const live = this.connection;
    if (live) queueMicrotask(() => this.listeners.has(listener) && this.connection === live && this.notify(listener, live));
    return () => this.listeners.delete(listener);
  }

  /**
   * A channel that is re-created, and `setup` re-run on it (assert topology, consume), after
   * every reconnect or channel failure. Call `open()` on it to begin.
   */
  channel(name: string, setup: ChannelSetup): ManagedChannel {
    const channel = new ManagedChannel(this, { name, setup, logger: this.logger, onClosed: () => this.channels.delete(channel) });
    this.channels.add(channel);
    return channel;
  }

  isClosed(): boolean {
    return this.closed;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.reconnectTimer);
    // Channels first, so publishes and consumers waiting on them stop at once.
    await Promise.all([...this.channels].map((channel) => channel.close()));
    for (const waiter of [...this.waiters]) waiter.reject(new ConnectionClosedError());
    this.listeners.clear();
    const connection = this.connection;
    this.connection = undefined;
    if (connection) {
      try {
        await connection.close();
      } catch (error) {
        this.logger.debug({ err: describeError(error) }, 'connection was already closing');
      }
    }
    this.logger.info({}, 'connection closed');
  }

  private async connect(): Promise<void> {
    if (this.closed || this.connecting || this.connection) return;
    this.connecting = true;
    try {
      const connection = await amqp.connect(this.url, {
        noDelay: true, // Nagle's algorithm adds ~40 ms to small messages
        timeout: this.connectTimeoutMs,
        clientProperties: { connection_name: this.name },
      });
      // An 'error' event without a listener would crash the process.
      connection.on('error', (error: unknown) => this.logger.warn({ err: describeError(error) }, 'connection error'));
      if (this.closed) {
        await connection.close().catch(() => {});
        return;
      }
      connection.on('close', (error: unknown) => this.onLost(connection, error));
      connection.on('blocked', (reason: unknown) => this.logger.warn({ reason }, 'broker blocked publishing (resource alarm)'));
      connection.on('unblocked', () => this.logger.info({}, 'broker unblocked publishing'));
      this.connection = connection;
      this.failures = 0;
      if (this.everConnected) {
        this.logger.info({}, 'reconnected');
        this.metrics?.onReconnect?.();
      } else {
        this.logger.info({}, 'connected');
      }
      this.everConnected = true;
      for (const waiter of [...this.waiters]) waiter.resolve(connection);
      for (const listener of [...this.listeners]) this.notify(listener, connection);
    } catch (error) {
      this.scheduleReconnect(error);
    } finally {
      this.connecting = false;
    }
  }

  private onLost(connection: ChannelModel, error: unknown): void {
    if (this.connection !== connection) return;
    this.connection = undefined;
    if (this.closed) return;
    this.logger.warn({ err: error ? describeError(error) : undefined }, 'connection lost; reconnecting');
    this.scheduleReconnect(undefined);
  }

  private scheduleReconnect(error: unknown): void {
    if (this.closed) return;
    this.failures += 1;
    const delay = backoffDelay(this.failures, { baseMs: this.minReconnectDelayMs, maxMs: this.maxReconnectDelayMs });
    if (error) this.logger.warn({ err: describeError(error), retryInMs: delay, failures: this.failures }, 'cannot connect to RabbitMQ');
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = setTimeout(() => void this.connect(), delay);
  }

  private notify(listener: ConnectListener, connection: ChannelModel): void {
    try {
      listener(connection);
    } catch (error) {
      this.logger.error({ err: describeError(error) }, 'connection listener threw');
    }
  }
}

function withHeartbeat(url: string, heartbeatSeconds: number): string {
  if (/[?&]heartbeat=/.test(url)) return url;
  return `${url}${url.includes('?') ? '&' : '?'}heartbeat=${heartbeatSeconds}`;
}
