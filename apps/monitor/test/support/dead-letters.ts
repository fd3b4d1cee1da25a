import {
  deleteExchanges,
  deleteQueues,
  EventConsumer,
  exchangeForType,
  producerExchangeName,
  queueStats,
  RabbitConnection,
  silentLogger,
  withChannel,
} from '@trendcast/messaging';
import { testEnv, waitFor } from '@trendcast/testing';

export interface DeadLetterBench {
  rabbit: RabbitConnection;
  /** The consumer queue that dead-letters; its dead-letter queue is `${queue}.dead-letter`. */
  queue: string;
  deadLetterQueue: string;
  /** Publishes `body` as a `users.user.registered` event would travel, and waits until the consumer dead-lettered it. */
  deadLetter(body: string, o?: { messageId?: string; correlationId?: string }): Promise<void>;
  /** Stops consuming, so a replayed message stays in the consumer queue where a test can count it. */
  stopConsuming(): Promise<void>;
  waiting(queue: string): Promise<number>;
  close(): Promise<void>;
}

/**
 * A real consumer (@trendcast/messaging's EventConsumer, as every service runs it) of users' events
 * under the test's namespace and service name: what does not parse, it dead-letters at once.
 */
export async function startDeadLetterBench(o: { service: string; namespace: string }): Promise<DeadLetterBench> {
  const rabbit = new RabbitConnection({ url: testEnv.rabbitUrl, name: `${o.service}-bench`, logger: silentLogger });
  await rabbit.start();
  const consumer = new EventConsumer(rabbit, { service: o.service, namespace: o.namespace, logger: silentLogger }).on('users.user.registered', async () => {});
  await consumer.start();
  const queue = consumer.queues()[0]!.queue;
  const deadLetterQueue = `${queue}.dead-letter`;
  const type = 'users.user.registered';
  const waiting = async (name: string) => (await queueStats(rabbit, name)).messageCount;
  let consuming = true;

  return {
    rabbit,
    queue,
    deadLetterQueue,
    waiting,
    async deadLetter(body, options = {}) {
      const before = await waiting(deadLetterQueue);
      await withChannel(rabbit, async (channel) => {
        channel.publish(exchangeForType(type, o.namespace), type, Buffer.from(body), {
          persistent: true,
          contentType: 'application/json',
          type,
          ...(options.messageId ? { messageId: options.messageId } : {}),
          ...(options.correlationId ? { correlationId: options.correlationId } : {}),
        });
        await channel.waitForConfirms();
      });
      await waitFor(async () => (await waiting(deadLetterQueue)) === before + 1, { what: 'the message dead-lettered' });
    },
    async stopConsuming() {
      if (consuming) await consumer.stop();
      consuming = false;
    },
    async close() {
      if (consuming) await consumer.stop();
      await deleteQueues(rabbit, consumer.queueNames());
      await deleteExchanges(rabbit, [producerExchangeName('users', o.namespace)]);
      await rabbit.close();
    },
  };
}
