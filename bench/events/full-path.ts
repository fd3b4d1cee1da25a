import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { DomainEvent } from '@trendcast/events';
import { EventPublisher, RabbitConnection, deleteExchanges, deleteQueues, exchangeForType } from '@trendcast/messaging';
import { addToOutbox, OutboxRelay } from '@trendcast/outbox';
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import type { ConsumerConfig, ConsumerMessage } from './consumer-process.js';
import { generateLoad } from './load.js';
import { quietLogger } from './log.js';
import { searches } from './schema.js';
import { ownCpu } from './own-cpu.js';
import { cpuMeter, LatencyRecorder, loopMeter, now, summarize, type PhaseResult } from './stats.js';

export interface FullPathOptions {
  producerUrl: string;
  consumerUrl: string;
  rabbitUrl: string;
  namespace: string;
  concurrency: number;
  batchSize: number;
  prefetch: number;
  consumerPool: number;
  consumerBatch: number;
  pollIntervalMs: number;
  sentRetentionMs: number | undefined;
  notify: boolean;
  queueType: 'quorum' | 'classic';
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

const consumerScript = fileURLToPath(new URL('./consumer-process.ts', import.meta.url));

/**
 * Two services, as deployed: this process is the producer, committing its row and the outbox row in
 * one transaction and running the relay (EventPublisher sink); a child process is the consumer, whose
 * EventConsumer handles each event through the inbox, writing its own row in the same transaction.
 * Latency runs from the moment the producer was due to start its transaction until the consumer's
 * transaction committed.
 */
export class FullPath {
  private readonly logger = quietLogger({ process: 'producer' });
  private readonly producerClient;
  private readonly producerDb;
  private readonly producerRabbit: RabbitConnection;
  private readonly relay: OutboxRelay;
  private consumer: ChildProcess | undefined;
  private consumerQueues: string[] = [];
  private tracking: Tracking | undefined;
  private consumerLoop: ((busy: number) => void) | undefined;

  constructor(private readonly options: FullPathOptions) {
    // The relay shares the producer's pool, as it would inside the service; LISTEN takes its own connection.
    this.producerClient = postgres(options.producerUrl, { max: options.concurrency + 2, onnotice: () => {} });
    this.producerDb = drizzle(this.producerClient);
    this.producerRabbit = new RabbitConnection({ url: options.rabbitUrl, name: 'bench-producer', logger: this.logger });
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
      ...(options.sentRetentionMs === undefined ? {} : { sentRetentionMs: options.sentRetentionMs }),
    });
  }

  async start(): Promise<void> {
    await this.producerRabbit.start();
    await this.startConsumer();
    await this.relay.start();
  }

  private async startConsumer(): Promise<void> {
    const config: ConsumerConfig = {
      consumerUrl: this.options.consumerUrl,
      rabbitUrl: this.options.rabbitUrl,
      namespace: this.options.namespace,
      prefetch: this.options.prefetch,
      consumerPool: this.options.consumerPool,
      consumerBatch: this.options.consumerBatch,
      queueType: this.options.queueType,
    };
    // Profiling flags given to this process (node --cpu-prof …) profile the consumer too.
    const profiling = process.execArgv.filter((arg) => arg.startsWith('--cpu-prof'));
    const child = fork(consumerScript, [JSON.stringify(config)], { execArgv: ['--import', 'tsx', ...profiling], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    this.consumer = child;
    ownCpu.trackChildren(() => (child.pid && child.exitCode === null ? [child.pid] : []));
    await new Promise<void>((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`consumer process exited early (${code})`)));
      child.on('message', (message: ConsumerMessage) => {
        if (message.type === 'ready') {
          this.consumerQueues = message.queues;
          resolve();
        } else if (message.type === 'handled') {
          for (const [eventId, at] of message.items) this.completed(eventId, at);
        } else if (message.type === 'loop') {
          this.consumerLoop?.(message.busy);
        }
      });
    });
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
    cpuMeter.take();
    await ownCpu.start();
    await this.consumerLoopBusy();
    const deadline = startedAt + timeoutMs;
    const started = await generateLoad(
      { total: events.length, rate, concurrency: this.options.concurrency, deadline },
      async (i, intendedAt) => {
        const event = events[i]!;
        tracking.intended.set(event.id, intendedAt);
        await this.producerDb.transaction(async (tx) => {
          // Issued together, the state change and its outbox row leave in one write: one round trip for both.
          await Promise.all([
            tx.insert(searches).values({ id: event.data.searchId, userId: event.data.userId, status: 'failed', reason: event.data.reason }).prepare('insert_search').execute(),
            addToOutbox(tx, event, { notify: this.options.notify }),
          ]);
        });
        tracking.committed.set(event.id, now());
      },
    );
    tracking.expected = started;
    if (tracking.latencies.count >= started) done();
    await Promise.race([finished, new Promise((resolve) => setTimeout(resolve, Math.max(2_000, deadline + 5_000 - now())))]);
    this.tracking = undefined;
    const cpuMs = await ownCpu.stop();
    const consumerBusy = await this.consumerLoopBusy();
    const missing = started - tracking.latencies.count;
    const { commit, relay, deliver } = tracking.stages;
    const stage = (recorder: LatencyRecorder) => `${recorder.percentile(50).toFixed(1)}/${recorder.percentile(99).toFixed(1)}`;
    const perEvent = (ms: number) => (ms / Math.max(1, tracking.latencies.count)).toFixed(2);
    const split = `node cpu ms/ev: producer+relay ${perEvent(cpuMs.node - cpuMs.children)}, consumer ${perEvent(cpuMs.children)}`;
    const stages = `consumer loop ${Math.round(consumerBusy * 100)}%; ${split}; p50/p99 ms: commit ${stage(commit)}, relay ${stage(relay)}, deliver ${stage(deliver)}`;
    const note = missing > 0 ? `${missing} of ${started} not consumed in time; ${stages}` : stages;
    return summarize(name, rate ? `${Math.round(rate)}/s` : 'unbounded', tracking.latencies, startedAt, tracking.lastDoneAt, { note, cpuMs });
  }

  /** Rows the relay has not published yet, and rows of every table, for a sanity line after the phases. */
  async counts(): Promise<{ pending: number; searches: number; notifications: number; inbox: number }> {
    const [producer] = await this.producerDb.execute<{ pending: number; searches: number }>(
      sql`select (select count(*)::int from outbox_messages where sent_at is null) as pending, (select count(*)::int from searches) as searches`,
    );
    const consumerClient = postgres(this.options.consumerUrl, { max: 1, onnotice: () => {} });
    try {
      const [consumer] = await consumerClient<{ notifications: number; inbox: number }[]>`
        select (select count(*)::int from notifications) as notifications, (select count(*)::int from inbox_messages) as inbox`;
      return { pending: producer?.pending ?? -1, searches: producer?.searches ?? -1, notifications: consumer?.notifications ?? -1, inbox: consumer?.inbox ?? -1 };
    } finally {
      await consumerClient.end();
    }
  }

  private stopped = false;

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await this.relay.stop();
    await this.stopConsumer();
    await deleteQueues(this.producerRabbit, this.consumerQueues).catch(() => {});
    await deleteExchanges(this.producerRabbit, [exchangeForType('trends.search.failed', this.options.namespace)]).catch(() => {});
    await this.producerRabbit.close();
    await this.producerClient.end({ timeout: 2 });
  }

  /** The consumer process's event-loop utilization since the previous call. */
  private consumerLoopBusy(): Promise<number> {
    const child = this.consumer;
    if (!child?.connected) return Promise.resolve(Number.NaN);
    return new Promise((resolve) => {
      this.consumerLoop = (busy) => {
        this.consumerLoop = undefined;
        resolve(busy);
      };
      child.send({ type: 'mark' });
    });
  }

  private async stopConsumer(): Promise<void> {
    const child = this.consumer;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.send({ type: 'stop' });
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }

  private completed(eventId: string, at: number): void {
    const tracking = this.tracking;
    const intendedAt = tracking?.intended.get(eventId);
    if (!tracking || intendedAt === undefined) return;
    tracking.intended.delete(eventId);
    tracking.lastDoneAt = Math.max(tracking.lastDoneAt, at);
    tracking.latencies.record(at - intendedAt);
    const committed = tracking.committed.get(eventId);
    const confirmed = tracking.confirmed.get(eventId);
    if (committed !== undefined && confirmed !== undefined) {
      tracking.stages.commit.record(committed - intendedAt);
      tracking.stages.relay.record(confirmed - committed);
      tracking.stages.deliver.record(at - confirmed);
    }
    if (tracking.latencies.count >= tracking.expected) tracking.done();
  }
}
