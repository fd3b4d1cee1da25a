import {
  deleteExchanges,
  deleteQueues,
  EventConsumer,
  exchangeForType,
  producerExchangeName,
  queueStats,
  RabbitConnection,
  silentLogger,
  unroutedExchangeName,
  unroutedQueueName,
  withChannel,
} from '@trendcast/messaging';
import { testEnv, waitFor } from '@trendcast/testing';

export interface DeadLetterBench {
  rabbit: RabbitConnection;
  /** The consumer queue that dead-letters; its dead-letter queue is `${queue}.dead-letter`. */
  queue: string;
  deadLetterQueue: string;
  /** Where users' events no queue is bound for are parked (`<ns>.users.events.unrouted`). */
  unroutedQueue: string;
  /** Publishes `body` to users' exchange as an event of `type` would travel. */
  publish(type: string, body: string, o?: { messageId?: string; correlationId?: string }): Promise<void>;
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
  const exchange = producerExchangeName('users', o.namespace);
  const type = 'users.user.registered';
  const waiting = async (name: string) => (await queueStats(rabbit, name)).messageCount;
  let consuming = true;

  const publish: DeadLetterBench['publish'] = async (eventType, body, options = {}) => {
    await withChannel(rabbit, async (channel) => {
      channel.publish(exchangeForType(eventType, o.namespace), eventType, Buffer.from(body), {
        persistent: true,
        contentType: 'application/json',
        type: eventType,
        ...(options.messageId ? { messageId: options.messageId } : {}),
        ...(options.correlationId ? { correlationId: options.correlationId } : {}),
      });
      await channel.waitForConfirms();
    });
  };

  return {
    rabbit,
    queue,
    deadLetterQueue,
    unroutedQueue: unroutedQueueName(exchange),
    waiting,
    publish,
    async deadLetter(body, options = {}) {
      const before = await waiting(deadLetterQueue);
      await publish(type, body, options);
      await waitFor(async () => (await waiting(deadLetterQueue)) === before + 1, { what: 'the message dead-lettered' });
    },
    async stopConsuming() {
      if (consuming) await consumer.stop();
      consuming = false;
    },
    async close() {
      if (consuming) await consumer.stop();
      await deleteQueues(rabbit, [...consumer.queueNames(), unroutedQueueName(exchange)]);
      await deleteExchanges(rabbit, [exchange, unroutedExchangeName(exchange)]);
      await rabbit.close();
    },
  };
}
