import type { ConfirmChannel } from 'amqplib';
import type { RabbitConnection } from './rabbit-connection.js';

/** Runs `work` on a short-lived confirm channel of the live connection (waiting up to `timeoutMs` for one). */
export async function withChannel<T>(connection: RabbitConnection, work: (channel: ConfirmChannel) => Promise<T>, timeoutMs = 10_000): Promise<T> {
  const live = await connection.waitForConnection(timeoutMs);
  const channel = await live.createConfirmChannel();
  // A broker error closes the channel and rejects the call that caused it; the event itself must not crash us.
  channel.on('error', () => {});
  try {
    return await work(channel);
  } finally {
    await channel.close().catch(() => {});
  }
}
