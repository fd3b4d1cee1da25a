/**
 * Events bench: the full path (state change + outbox → relay → RabbitMQ → consumer → inbox + effect)
 * beside its raw baselines, measured in one run on the same machine. Creates and drops its own
 * databases and queues.   npm run bench:events -- --help
 */
import os from 'node:os';
import { testEnv, uniqueName } from '@trendcast/testing';
import postgres from 'postgres';
import { runAmqpPhase } from './amqp-baseline.js';
import { parseFlags } from './flags.js';
import { FullPath } from './full-path.js';
import { eventFactory } from './payload.js';
import { runPgPhase } from './pg-baseline.js';
import { ownCpu } from './own-cpu.js';
import { Cleanup, createBenchDatabase } from './resources.js';
import { printResults, type PhaseResult } from './stats.js';

const flags = parseFlags(process.argv.slice(2));
const rate = flags.rate === 'unbounded' ? undefined : flags.rate;
const cleanup = new Cleanup();
const interrupted = () => {
  console.error('interrupted: cleaning up');
  void cleanup.run().finally(() => process.exit(130));
};
process.once('SIGINT', interrupted);
process.once('SIGTERM', interrupted);

const runDeadline = Date.now() + flags.maxSeconds * 1000;
/** A phase may run for its cap, or what is left of the run's budget (keeping time to drain and clean up). */
const phaseTimeout = () => Math.min(flags.phaseTimeoutMs, runDeadline - Date.now() - 10_000);
const skipped: string[] = [];
const has = (phase: (typeof flags.phases)[number]) => {
  if (!flags.phases.includes(phase)) return false;
  if (phaseTimeout() >= 3_000) return true;
  skipped.push(phase);
  return false;
};
const newEvent = eventFactory(flags.payloadBytes);
const results: PhaseResult[] = [];
/** Each paced run offers this many seconds of events (at most --events). */
const pacedSeconds = 5;
const runStartedAt = Date.now();

console.log(
  `events bench: ${flags.events} events/phase, ${flags.payloadBytes} B each, rate ${flags.rate}, concurrency ${flags.concurrency}, ` +
    `relay batch ${flags.batchSize}, prefetch ${flags.prefetch}, consumer batch ${flags.consumerBatch}, notify ${flags.notify}; ${os.cpus().length} cpus, node ${process.version}`,
);

try {
  const producer = await createBenchDatabase('bench_producer');
  cleanup.add('producer database', () => producer.drop());
  const consumer = await createBenchDatabase('bench_consumer');
  cleanup.add('consumer database', () => consumer.drop());
  const namespace = uniqueName('bench');
  const admin = postgres(testEnv.postgresUrl, { max: 1, onnotice: () => {} });
  cleanup.add('admin connection', () => admin.end());
  ownCpu.configure(admin, [producer.name, consumer.name]);
  const phaseOptions = { events: flags.events, rate, newEvent, get timeoutMs() { return phaseTimeout(); } };

  if (has('pg')) {
    results.push(await runPgPhase({ ...phaseOptions, databaseUrl: producer.url, concurrency: flags.concurrency, withOutbox: false, notify: flags.notify }));
  }
  if (has('pg-outbox')) {
    results.push(await runPgPhase({ ...phaseOptions, databaseUrl: producer.url, concurrency: flags.concurrency, withOutbox: true, notify: flags.notify }));
  }
  if (has('pg-notify-each')) {
    results.push(
      await runPgPhase({ ...phaseOptions, databaseUrl: producer.url, concurrency: flags.concurrency, withOutbox: true, notify: true, notifyEach: true }),
    );
  }
  if (has('amqp')) {
    results.push(
      await runAmqpPhase({ ...phaseOptions, rabbitUrl: testEnv.rabbitUrl, queue: `${namespace}.amqp-baseline`, confirmWindow: flags.confirmWindow, prefetch: flags.prefetch }),
    );
  }
  if (has('full') || has('full-paced')) {
    const fullPath = new FullPath({
      producerUrl: producer.url,
      consumerUrl: consumer.url,
      rabbitUrl: testEnv.rabbitUrl,
      namespace,
      concurrency: flags.concurrency,
      batchSize: flags.batchSize,
      prefetch: flags.prefetch,
      consumerPool: flags.consumerPool,
      consumerBatch: flags.consumerBatch,
      pollIntervalMs: flags.pollIntervalMs,
      sentRetentionMs: flags.sentRetentionMs,
      notify: flags.notify,
    });
    cleanup.add('full path', () => fullPath.stop());
    await fullPath.start();
    // A short warm-up, so connection setup and JIT do not count against the first phase.
    await fullPath.run('warm-up', Array.from({ length: 500 }, newEvent), undefined, 10_000);
    if (has('full')) {
      results.push(await fullPath.run('full path', Array.from({ length: flags.events }, newEvent), rate, phaseTimeout()));
    }
    const pgBaseline = results.find((result) => result.name === 'pg tx: row insert');
    const fullMax = results.find((result) => result.name === 'full path');
    if (has('full-paced') && rate === undefined) {
      // The target (half the PostgreSQL baseline, p99 < 50 ms), then fractions of the full path's own
      // unbounded rate, to show the latency where it keeps up.
      const paces: Array<[string, number]> = [];
      if (pgBaseline) paces.push(['full path @ ½ pg rate', pgBaseline.perSecond / 2]);
      if (fullMax) paces.push(['full path @ 75% of its max', fullMax.perSecond * 0.75], ['full path @ 50% of its max', fullMax.perSecond * 0.5]);
      for (const [name, paced] of paces) {
        if (!has('full-paced')) break;
        const events = Math.min(flags.events, Math.ceil(paced * pacedSeconds));
        results.push(await fullPath.run(name, Array.from({ length: events }, newEvent), paced, phaseTimeout()));
      }
    }
    const counts = await fullPath.counts();
    console.log(`after the full path: ${JSON.stringify(counts)}`);
  }

  console.log('');
  printResults(results);
  if (skipped.length > 0) console.log(`\nskipped for lack of time (--max-seconds ${flags.maxSeconds}): ${[...new Set(skipped)].join(', ')}`);
  const pg = results.find((result) => result.name === 'pg tx: row insert');
  const full = results.find((result) => result.name === 'full path');
  console.log('');
  if (pg && full && rate === undefined) console.log(`full path / pg transaction, unbounded throughput: ${(full.perSecond / pg.perSecond).toFixed(2)} (target ≥ 0.5)`);
  for (const paced of results.filter((result) => result.name.startsWith('full path @'))) {
    const offered = Number.parseFloat(paced.offered);
    const keptUp = !paced.note?.includes('not consumed') && paced.perSecond >= offered * 0.9;
    console.log(`${paced.name}: kept up ${keptUp ? 'yes' : 'NO'}, p99 ${paced.p99.toFixed(1)} ms${paced.name.includes('pg rate') ? ' (target: kept up, p99 < 50 ms)' : ''}`);
  }
} finally {
  await cleanup.run();
  console.log(`\ndone in ${((Date.now() - runStartedAt) / 1000).toFixed(1)} s`);
}
process.exit(0);
