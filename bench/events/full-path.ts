import type { DomainEvent } from '@trendcast/events';
import { EventConsumer, EventPublisher, RabbitConnection, deleteExchanges, deleteQueues, exchangeForType } from '@trendcast/messaging';
import { addToOutbox, handleOnce, OutboxRelay } from '@trendcast/outbox';
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { generateLoad } from './load.js';
import { quietLogger } from './log.js';
import { notifications, searches } from './schema.js';
import { LatencyRecorder, loopMeter, now, summarize, type PhaseResult } from './stats.js';

export interface FullPathOptions {
  producerUrl: string;
  consumerUrl: string;
  rabbitUrl: string;
  namespace: string;
  concurrency: number;
  batchSize: number;
  prefetch: number;
  consumerPool: number;
  pollIntervalMs: number;
  notify: boolean;
}

interface Tracking {
  intended: Map<string, number>;
  committed: Map<string, number>;
  confirmed: Map<string, number>;
  latencies: LatencyRecorder;
  /** Where the time goes: intended start → commit → broker confirm → consumer's commit. */
  stages: { commit: LatencyRecorder; relay: LatencyRecorder; deliver: LatencyRecorder };
  expected: number;
  lastDoneAt: number;
  done: () => void;
}

/**
 * Two services, as deployed: the producer commits its row and the outbox row in one transaction and
 * runs the relay (EventPublisher sink); the consumer's EventConsumer handles each event through the
 * inbox, writing its own row in the same transaction. Latency runs from the moment the producer was
 * due to start its transaction until the consumer's transaction committed.
 */
export class FullPath {
  private readonly logger = quietLogger();
  private readonly producerClient;
  private readonly consumerClient;
  private readonly producerDb;
  private readonly consumerDb;
  private readonly producerRabbit: RabbitConnection;
  private readonly consumerRabbit: RabbitConnection;
  private readonly relay: OutboxRelay;
  private readonly consumer: EventConsumer;
  private tracking: Tracking | undefined;

  constructor(private readonly options: FullPathOptions) {
    // The relay shares the producer's pool, as it would inside the service; LISTEN takes its own connection.
    this.producerClient = postgres(options.producerUrl, { max: options.concurrency + 2, onnotice: () => {} });
    this.consumerClient = postgres(options.consumerUrl, { max: options.consumerPool, onnotice: () => {} });
    this.producerDb = drizzle(this.producerClient);
    this.consumerDb = drizzle(this.consumerClient);
    this.producerRabbit = new RabbitConnection({ url: options.rabbitUrl, name: 'bench-producer', logger: this.logger });
    this.consumerRabbit = new RabbitConnection({ url: options.rabbitUrl, name: 'bench-consumer', logger: this.logger });
    const publisher = new EventPublisher(this.producerRabbit, { namespace: options.namespace });
    const sink = {
      publish: async (event: DomainEvent) => {
        await publisher.publish(event);
        this.tracking?.confirmed.set(event.id, now());
      },
    };
    this.relay = new OutboxRelay({
      db: this.producerDb,
      sql: this.producerClient,
      sink,
      logger: this.logger,
      batchSize: options.batchSize,
      pollIntervalMs: options.pollIntervalMs,
    });
    this.consumer = new EventConsumer(this.consumerRabbit, {
      service: 'benchnotifier',
      logger: this.logger,
      prefetch: options.prefetch,
      namespace: options.namespace,
    }).on('trends.search.failed', async (event) => {
      await handleOnce(this.consumerDb, 'benchnotifier', event, async (tx) => {
        await tx.insert(notifications).values({ eventId: event.id, searchId: event.data.searchId });
      });
      this.completed(event.id);
    });
  }

  async start(): Promise<void> {
    await Promise.all([this.producerRabbit.start(), this.consumerRabbit.start()]);
    await this.consumer.start();
    await this.relay.start();
  }

  async run(name: string, events: DomainEvent<'trends.search.failed'>[], rate: number | undefined, timeoutMs: number): Promise<PhaseResult> {
    let done!: () => void;
    const finished = new Promise<void>((resolve) => (done = resolve));
    const tracking: Tracking = {
      intended: new Map(),
      committed: new Map(),
      confirmed: new Map(),
      latencies: new LatencyRecorder(),
      stages: { commit: new LatencyRecorder(), relay: new LatencyRecorder(), deliver: new LatencyRecorder() },
      expected: events.length,
      lastDoneAt: now(),
      done,
    };
    this.tracking = tracking;
    const startedAt = now();
    loopMeter.take();
    const deadline = startedAt + timeoutMs;
    const started = await generateLoad(
      { total: events.length, rate, concurrency: this.options.concurrency, deadline },
      async (i, intendedAt) => {
        const event = events[i]!;
        tracking.intended.set(event.id, intendedAt);
        await this.producerDb.transaction(async (tx) => {
          await tx.insert(searches).values({ id: event.data.searchId, userId: event.data.userId, status: 'failed', reason: event.data.reason });
          await addToOutbox(tx, event, { notify: this.options.notify });
        });
        tracking.committed.set(event.id, now());
      },
    );
    tracking.expected = started;
    if (tracking.latencies.count >= started) done();
    await Promise.race([finished, new Promise((resolve) => setTimeout(resolve, Math.max(2_000, deadline + 5_000 - now())))]);
    this.tracking = undefined;
    const missing = started - tracking.latencies.count;
    const { commit, relay, deliver } = tracking.stages;
    const stage = (recorder: LatencyRecorder) => `${recorder.percentile(50).toFixed(1)}/${recorder.percentile(99).toFixed(1)}`;
    const stages = `p50/p99 ms: commit ${stage(commit)}, relay ${stage(relay)}, deliver ${stage(deliver)}`;
    const note = missing > 0 ? `${missing} of ${started} not consumed in time; ${stages}` : stages;
    return summarize(name, rate ? `${Math.round(rate)}/s` : 'unbounded', tracking.latencies, startedAt, tracking.lastDoneAt, note);
  }

  /** Rows the relay has not published yet and rows of every table, for a sanity line after each phase. */
  async counts(): Promise<{ pending: number; searches: number; notifications: number; inbox: number }> {
    const [producer] = await this.producerDb.execute<{ pending: number; searches: number }>(
      sql`select (select count(*)::int from outbox_messages where sent_at is null) as pending, (select count(*)::int from searches) as searches`,
    );
    const [consumer] = await this.consumerDb.execute<{ notifications: number; inbox: number }>(
      sql`select (select count(*)::int from notifications) as notifications, (select count(*)::int from inbox_messages) as inbox`,
    );
    return { pending: producer?.pending ?? -1, searches: producer?.searches ?? -1, notifications: consumer?.notifications ?? -1, inbox: consumer?.inbox ?? -1 };
  }

  async stop(): Promise<void> {
    await this.relay.stop();
    await this.consumer.stop();
    await deleteQueues(this.consumerRabbit, this.consumer.queueNames()).catch(() => {});
    await deleteExchanges(this.consumerRabbit, [exchangeForType('trends.search.failed', this.options.namespace)]).catch(() => {});
    await Promise.all([this.producerRabbit.close(), this.consumerRabbit.close()]);
    await Promise.all([this.producerClient.end({ timeout: 2 }), this.consumerClient.end({ timeout: 2 })]);
  }

  private completed(eventId: string): void {
    const tracking = this.tracking;
    const at = tracking?.intended.get(eventId);
    if (!tracking || at === undefined) return;
    tracking.intended.delete(eventId);
    tracking.lastDoneAt = now();
    tracking.latencies.record(tracking.lastDoneAt - at);
    const committed = tracking.committed.get(eventId);
    const confirmed = tracking.confirmed.get(eventId);
    if (committed !== undefined && confirmed !== undefined) {
      tracking.stages.commit.record(committed - at);
      tracking.stages.relay.record(confirmed - committed);
      tracking.stages.deliver.record(tracking.lastDoneAt - confirmed);
    }
    if (tracking.latencies.count >= tracking.expected) tracking.done();
  }
}
