import { backoffDelay, describeError, withDeadline, type Logger } from '@trendcast/core';
import type { ChannelModel, ConfirmChannel } from 'amqplib';
import type { ConnectionSource } from './connection-source.js';

/** Runs on every fresh channel before it is handed out: assert topology, set prefetch, consume. */
export type ChannelSetup = (channel: ConfirmChannel) => Promise<void>;

export interface ManagedChannelOptions {
  name: string;
  setup: ChannelSetup;
  logger: Logger;
  onClosed?: () => void;
}

interface Waiter {
  resolve(channel: ConfirmChannel): void;
  reject(error: unknown): void;
  /** Setup errors that end this wait at once instead of waiting for a later setup to succeed. */
  failOn?: (error: unknown) => boolean;
}

export interface ReadyOptions {
  /** Rejects with a setup's error when this returns true for it (an error no retry will fix). */
  failOn?: (error: unknown) => boolean;
}

export class ChannelUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ChannelUnavailableError';
  }
}

/**
 * A confirm channel that is opened and set up again after every loss: on each new connection,
 * and with backoff on the same connection when only the channel failed (a broker channel error,
 * a failed setup, a consumer cancelled by the broker).
 */
export class ManagedChannel {
  private channel: ConfirmChannel | undefined;
  private attempt = 0;
  private failures = 0;
  private retryTimer: NodeJS.Timeout | undefined;
  private closed = false;
  /** Why the last setup failed, until one succeeds. */
  private setupFailure: unknown;
  private unsubscribe: (() => void) | undefined;
  private readonly waiters = new Set<Waiter>();
  private readonly logger: Logger;

  constructor(
    private readonly connection: ConnectionSource,
    private readonly options: ManagedChannelOptions,
  ) {
    this.logger = options.logger.child({ channel: options.name });
  }

  /** Starts following the connection: a channel is opened now if connected, else on connect. */
  open(): void {
    if (this.closed || this.unsubscribe) return;
    this.unsubscribe = this.connection.onConnect((connection) => void this.openOn(connection));
  }

  isClosed(): boolean {
    return this.closed;
  }

  /** The channel when it is open and set up. */
  current(): ConfirmChannel | undefined {
    return this.channel;
  }

  /** Why the channel is not ready, when its last setup failed. */
  problem(): unknown {
    return this.channel ? undefined : this.setupFailure;
  }

  /** The set-up channel, waiting for it up to `timeoutMs` (forever when omitted). */
  ready(timeoutMs?: number, options: ReadyOptions = {}): Promise<ConfirmChannel> {
    if (this.closed) return Promise.reject(new ChannelUnavailableError(`channel ${this.options.name} is closed`));
    if (this.channel) return Promise.resolve(this.channel);
    return new Promise((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const waiter: Waiter = {
        resolve: (channel) => {
          clearTimeout(timer);
          this.waiters.delete(waiter);
          resolve(channel);
        },
        reject: (error) => {
          clearTimeout(timer);
          this.waiters.delete(waiter);
          reject(error);
        },
        ...(options.failOn ? { failOn: options.failOn } : {}),
      };
      if (options.failOn && this.setupFailure !== undefined && options.failOn(this.setupFailure)) {
        reject(this.setupFailure);
        return;
      }
      if (timeoutMs !== undefined) {
        timer = setTimeout(() => waiter.reject(new ChannelUnavailableError(`channel ${this.options.name} not available within ${timeoutMs} ms`)), Math.max(0, timeoutMs));
      }
      this.waiters.add(waiter);
    });
  }

  /** Closes `channel` (if still the current one) so that a fresh one is opened and set up. */
  recycle(channel: ConfirmChannel): void {
    if (channel !== this.channel) return;
    channel.close().catch((error: unknown) => this.logger.debug({ err: describeError(error) }, 'channel was already closing'));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.options.onClosed?.();
    this.unsubscribe?.();
    clearTimeout(this.retryTimer);
    for (const waiter of [...this.waiters]) waiter.reject(new ChannelUnavailableError(`channel ${this.options.name} is closed`));
    const channel = this.channel;
    this.channel = undefined;
    if (channel) await closeQuietly(channel);
  }

  private async openOn(connection: ChannelModel): Promise<void> {
    if (this.closed) return;
    clearTimeout(this.retryTimer);
    // A newer attempt (after a reconnect) supersedes this one; the older channel is discarded.
    const attempt = ++this.attempt;
    let channel: ConfirmChannel | undefined;
    try {
      channel = await connection.createConfirmChannel();
      const opened = channel;
      opened.on('error', (error: unknown) => this.logger.warn({ err: describeError(error) }, 'channel error'));
      opened.on('close', () => this.onChannelClosed(connection, opened, attempt));
      await this.options.setup(opened);
      if (attempt !== this.attempt || this.closed) {
        await closeQuietly(opened);
        return;
      }
      this.channel = opened;
      this.failures = 0;
      this.setupFailure = undefined;
      this.logger.debug({}, 'channel ready');
      for (const waiter of [...this.waiters]) waiter.resolve(opened);
    } catch (error) {
      if (attempt !== this.attempt || this.closed) {
        if (channel) await closeQuietly(channel);
        return;
      }
      this.logger.warn({ err: describeError(error) }, 'channel setup failed');
      this.setupFailure = error;
      for (const waiter of [...this.waiters]) if (waiter.failOn?.(error)) waiter.reject(error);
      // Closing fires 'close', which schedules the retry; without a channel, schedule it here.
      if (channel) await closeQuietly(channel);
      else this.scheduleRetry(connection);
    }
  }

  private onChannelClosed(connection: ChannelModel, channel: ConfirmChannel, attempt: number): void {
    if (this.channel === channel) this.channel = undefined;
    if (attempt !== this.attempt || this.closed) return;
    this.scheduleRetry(connection);
  }

  private scheduleRetry(connection: ChannelModel): void {
    this.failures += 1;
    const delay = backoffDelay(this.failures, { baseMs: this.connection.minReconnectDelayMs, maxMs: this.connection.maxReconnectDelayMs });
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => {
      // When the whole connection went away, its successor re-opens this channel instead.
      if (this.closed || this.channel || this.connection.current() !== connection) return;
      void this.openOn(connection);
    }, delay);
  }
}

/** A channel's close waits for the broker's reply, which a blocked or half-dead connection never sends. */
const channelCloseTimeoutMs = 2_000;

async function closeQuietly(channel: ConfirmChannel): Promise<void> {
  try {
    await withDeadline(channel.close(), channelCloseTimeoutMs, 'closing a channel');
  } catch {
    // already closed or closing with its connection, or the broker does not answer: the connection's close ends it
  }
}
