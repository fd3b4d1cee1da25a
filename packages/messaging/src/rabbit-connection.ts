import { backoffDelay, DeadlineExceededError, describeError, withDeadline, type Logger } from '@trendcast/core';
import amqp, { type ChannelModel } from 'amqplib';
import type { ConnectionSource } from './connection-source.js';
import { assertAmqplibPatched } from './dependency-patches.js';
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
  /** Why the broker blocked this connection (a resource alarm), while it does. */
  private blockedBy: string | undefined;
  private readonly publishableWaiters = new Set<() => void>();
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

  /**
   * Resolves once connected; keeps retrying with backoff until then, and reconnects after every loss.
   * With `timeoutMs`, rejects (DeadlineExceededError) when no connection came up in time; it keeps
   * trying in the background all the same. Refuses to start when amqplib runs without its patch.
   */
  async start(options: { timeoutMs?: number } = {}): Promise<void> {
    if (this.closed) throw new ConnectionClosedError();
    assertAmqplibPatched();
    if (!this.started) {
      this.started = true;
      void this.connect();
    }
    await this.waitForConnection(options.timeoutMs);
  }

  isConnected(): boolean {
    return this.connection !== undefined;
  }

  /**
   * The broker sends connection.blocked to a connection that publishes while a resource alarm (memory,
   * disk) is raised, and stops reading from it until the alarm clears: acks and publishes both wait.
   */
  isBlocked(): boolean {
    return this.blockedBy !== undefined;
  }

  /** The broker's reason for the block ("low on memory"), while blocked. */
  blockedReason(): string | undefined {
    return this.blockedBy;
  }

  /** Resolves once connected and not blocked (at once when that is the case now); never rejects, except when closed. */
  whenPublishable(): Promise<void> {
    if (this.closed) return Promise.reject(new ConnectionClosedError());
    if (this.connection && !this.blockedBy) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const check = () => {
        if (this.closed) {
          this.publishableWaiters.delete(check);
          reject(new ConnectionClosedError());
        } else if (this.connection && !this.blockedBy) {
          this.publishableWaiters.delete(check);
          resolve();
        }
      };
      this.publishableWaiters.add(check);
    });
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
        timer = setTimeout(() => waiter.reject(new DeadlineExceededError(`connecting to RabbitMQ ("${this.name}")`, timeoutMs)), timeoutMs);
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

  /**
   * Closes every channel, then the connection, within `timeoutMs` (default 5 s): past it, or while the
   * broker blocks the connection (it would not read the close), the socket is destroyed instead. The
   * broker then requeues whatever was unacked. Never rejects.
   */
  async close(options: { timeoutMs?: number } = {}): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.reconnectTimer);
    const timeoutMs = options.timeoutMs ?? 5_000;
    const connection = this.connection;
    const closing = (async () => {
      // Channels first, so publishes and consumers waiting on them stop at once.
      await Promise.all([...this.channels].map((channel) => channel.close()));
      for (const waiter of [...this.waiters]) waiter.reject(new ConnectionClosedError());
      for (const waiter of [...this.publishableWaiters]) waiter();
      this.listeners.clear();
      this.connection = undefined;
      if (connection) await connection.close();
    })();
    try {
      await withDeadline(closing, timeoutMs, `closing RabbitMQ connection "${this.name}"`);
    } catch (error) {
      this.logger.warn({ err: describeError(error) }, 'connection did not close cleanly; dropping its socket');
      this.connection = undefined;
      destroySocket(connection);
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
      connection.on('blocked', (reason: unknown) => this.onBlocked(connection, String(reason ?? 'resource alarm')));
      connection.on('unblocked', () => this.onUnblocked(connection));
      this.connection = connection;
      this.blockedBy = undefined;
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
      this.notifyPublishable();
    } catch (error) {
      this.scheduleReconnect(error);
    } finally {
      this.connecting = false;
    }
  }

  private onBlocked(connection: ChannelModel, reason: string): void {
    if (this.connection !== connection) return;
    this.blockedBy = reason;
    this.logger.warn({ reason }, 'broker blocked this connection (resource alarm): publishing fails fast until it lifts');
  }

  private onUnblocked(connection: ChannelModel): void {
    if (this.connection !== connection) return;
    this.blockedBy = undefined;
    this.logger.info({}, 'broker unblocked this connection');
    this.notifyPublishable();
  }

  private notifyPublishable(): void {
    for (const check of [...this.publishableWaiters]) check();
  }

  private onLost(connection: ChannelModel, error: unknown): void {
    if (this.connection !== connection) return;
    this.connection = undefined;
    this.blockedBy = undefined;
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

/** Drops the socket under an amqplib connection, discarding whatever it had not written yet. */
function destroySocket(connection: ChannelModel | undefined): void {
  const stream = (connection as { connection?: { stream?: { destroy?: () => void } } } | undefined)?.connection?.stream;
  stream?.destroy?.();
}

function withHeartbeat(url: string, heartbeatSeconds: number): string {
  if (/[?&]heartbeat=/.test(url)) return url;
  return `${url}${url.includes('?') ? '&' : '?'}heartbeat=${heartbeatSeconds}`;
}
