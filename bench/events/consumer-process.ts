/**
 * The consuming service of the full path, in a process of its own as it would be deployed: an
 * EventConsumer whose handler writes its effect through the inbox. Reports, in batches over IPC,
 * when each event's transaction committed.
 */
import { EventConsumer, RabbitConnection } from '@trendcast/messaging';
import { handleBatchOnce, handleOnce } from '@trendcast/outbox';
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { z } from 'zod';
import { quietLogger } from './log.js';
import { notifications } from './schema.js';
import { loopMeter, now } from './stats.js';

export const consumerConfigSchema = z.object({
  consumerUrl: z.string(),
  rabbitUrl: z.string(),
  namespace: z.string(),
  prefetch: z.number().int().positive(),
  consumerPool: z.number().int().positive(),
  /** Most events per consumer transaction; 1 handles each event in a transaction of its own. */
  consumerBatch: z.number().int().positive(),
  queueType: z.enum(['quorum', 'classic']),
});
export type ConsumerConfig = z.infer<typeof consumerConfigSchema>;

export type ConsumerMessage =
  | { type: 'ready'; queues: string[] }
  | { type: 'handled'; items: Array<[eventId: string, at: number]> }
  /** Event-loop utilization since the previous mark. */
  | { type: 'loop'; busy: number }
  | { type: 'stopped' };

/** One array parameter, so the statement text (and its prepared plan) is the same whatever the batch size. */
const uuidArray = (ids: string[]) => `{${ids.join(',')}}`;

const send = (message: ConsumerMessage) => process.send?.(message);

if (process.send) {
  const config = consumerConfigSchema.parse(JSON.parse(process.argv[2] ?? '{}'));
  const logger = quietLogger({ process: 'consumer' });
  const client = postgres(config.consumerUrl, { max: config.consumerPool, onnotice: () => {} });
  const db = drizzle(client);
  const rabbit = new RabbitConnection({ url: config.rabbitUrl, name: 'bench-consumer', logger });
  let handled: Array<[string, number]> = [];
  const consumer = new EventConsumer(rabbit, { service: 'benchnotifier', logger, prefetch: config.prefetch, namespace: config.namespace, queueType: config.queueType });
  if (config.consumerBatch > 1) {
    // The events delivered together share one transaction: one inbox insert, one effect insert, one commit.
    consumer.onBatch(
      'trends.search.failed',
      async (events) => {
        await handleBatchOnce(db, 'benchnotifier', events, async (tx, fresh) => {
          await tx
            .insert(notifications)
            .select(sql`select n.event_id, n.search_id, now() from unnest(${uuidArray(fresh.map((event) => event.id))}::uuid[], ${uuidArray(fresh.map((event) => event.data.searchId))}::uuid[]) as n(event_id, search_id)`)
            .prepare('insert_notifications')
            .execute();
        });
        const at = now();
        for (const event of events) handled.push([event.id, at]);
      },
      { maxSize: config.consumerBatch },
    );
  } else {
    consumer.on('trends.search.failed', async (event) => {
      await handleOnce(db, 'benchnotifier', event, async (tx) => {
        await tx.insert(notifications).values({ eventId: event.id, searchId: event.data.searchId }).prepare('insert_notification').execute();
      });
      handled.push([event.id, now()]);
    });
  }
  // Batched reports keep the IPC channel from costing more than the work it measures.
  const flush = setInterval(() => {
    if (handled.length === 0) return;
    send({ type: 'handled', items: handled });
    handled = [];
  }, 20);
  process.on('message', (message: unknown) => {
    if ((message as { type?: string }).type === 'mark') send({ type: 'loop', busy: loopMeter.take() });
    if ((message as { type?: string }).type !== 'stop') return;
    void (async () => {
      await consumer.stop();
      clearInterval(flush);
      if (handled.length > 0) send({ type: 'handled', items: handled });
      await rabbit.close();
      await client.end({ timeout: 2 });
      send({ type: 'stopped' });
      process.disconnect();
    })();
  });
  await rabbit.start();
  await consumer.start();
  send({ type: 'ready', queues: consumer.queueNames() });
}
