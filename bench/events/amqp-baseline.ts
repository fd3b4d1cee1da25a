import { encodeEvent, type DomainEvent } from '@trendcast/events';
import amqp from 'amqplib';
import { generateLoad } from './load.js';
import { ownCpu } from './own-cpu.js';
import { cpuMeter, LatencyRecorder, loopMeter, now, summarize, type PhaseResult } from './stats.js';

export interface AmqpPhaseOptions {
  rabbitUrl: string;
  queue: string;
  events: number;
  rate: number | undefined;
  confirmWindow: number;
  prefetch: number;
  timeoutMs: number;
  newEvent: () => DomainEvent;
}

/**
 * Plain amqplib, no Trendcast code: persistent 1 KB messages on a durable classic queue, publisher
 * confirms with `confirmWindow` outstanding, a consumer acking with `prefetch`. Latency is publish → consume.
 */
export async function runAmqpPhase(options: AmqpPhaseOptions): Promise<PhaseResult> {
  const publisherConnection = await amqp.connect(options.rabbitUrl, { noDelay: true });
  const consumerConnection = await amqp.connect(options.rabbitUrl, { noDelay: true });
  try {
    const publisher = await publisherConnection.createConfirmChannel();
    const consumer = await consumerConnection.createChannel();
    await publisher.assertQueue(options.queue, { durable: true });
    await consumer.prefetch(options.prefetch);

    const bodies = Array.from({ length: options.events }, () => {
      const event = options.newEvent();
      return { id: event.id, content: encodeEvent(event) };
    });
    const intended = new Map<string, number>();
    const latencies = new LatencyRecorder();
    let lastConsumedAt = now();
    let allConsumed!: () => void;
    const consumed = new Promise<void>((resolve) => (allConsumed = resolve));
    let expected = options.events;
    await consumer.consume(options.queue, (message) => {
      if (!message) return;
      const at = intended.get(message.properties.messageId as string);
      if (at !== undefined) latencies.record(now() - at);
      lastConsumedAt = now();
      consumer.ack(message);
      if (latencies.count >= expected) allConsumed();
    });

    const startedAt = now();
    loopMeter.take();
    cpuMeter.take();
    await ownCpu.start();
    const deadline = startedAt + options.timeoutMs;
    const started = await generateLoad(
      { total: options.events, rate: options.rate, concurrency: options.confirmWindow, deadline },
      (i, intendedAt) =>
        new Promise<void>((resolve, reject) => {
          const { id, content } = bodies[i]!;
          intended.set(id, intendedAt);
          publisher.publish('', options.queue, content, { persistent: true, messageId: id, contentType: 'application/json' }, (error) =>
            error ? reject(error instanceof Error ? error : new Error('nacked')) : resolve(),
          );
        }),
    );
    expected = started;
    if (latencies.count >= expected) allConsumed();
    await Promise.race([consumed, new Promise((resolve) => setTimeout(resolve, Math.max(1_000, deadline + 5_000 - now())))]);
    const cpuMs = await ownCpu.stop();
    await publisher.deleteQueue(options.queue);
    return summarize('amqplib publish→consume, confirms', options.rate ? `${options.rate}/s` : 'unbounded', latencies, startedAt, lastConsumedAt, { cpuMs });
  } finally {
    await publisherConnection.close().catch(() => {});
    await consumerConnection.close().catch(() => {});
  }
}
