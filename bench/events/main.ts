/**
 * Events bench: the full path (state change + outbox → relay → RabbitMQ → consumer → inbox + effect)
 * beside its raw baselines, measured in one run on the same machine. Creates and drops its own
 * databases and queues.   npm run bench:events -- --help
 */
import os from 'node:os';
import { testEnv, uniqueName } from '@trendcast/testing';
import { runAmqpPhase } from './amqp-baseline.js';
import { parseFlags } from './flags.js';
import { FullPath } from './full-path.js';
import { eventFactory } from './payload.js';
import { runPgPhase } from './pg-baseline.js';
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

const has = (phase: (typeof flags.phases)[number]) => flags.phases.includes(phase);
const newEvent = eventFactory(flags.payloadBytes);
const results: PhaseResult[] = [];
/** Each paced run offers this many seconds of events (at most --events). */
const pacedSeconds = 5;
const runStartedAt = Date.now();

console.log(
  `events bench: ${flags.events} events/phase, ${flags.payloadBytes} B each, rate ${flags.rate}, concurrency ${flags.concurrency}, ` +
    `relay batch ${flags.batchSize}, prefetch ${flags.prefetch}, notify ${flags.notify}; ${os.cpus().length} cpus, node ${process.version}`,
);

try {
  const producer = await createBenchDatabase('bench_producer');
  cleanup.add('producer database', () => producer.drop());
  const consumer = await createBenchDatabase('bench_consumer');
  cleanup.add('consumer database', () => consumer.drop());
  const namespace = uniqueName('bench');
  const phaseOptions = { events: flags.events, rate, timeoutMs: flags.phaseTimeoutMs, newEvent };

  if (has('pg')) {
    results.push(await runPgPhase({ ...phaseOptions, databaseUrl: producer.url, concurrency: flags.concurrency, withOutbox: false, notify: flags.notify }));
  }
  if (has('pg-outbox')) {
    results.push(await runPgPhase({ ...phaseOptions, databaseUrl: producer.url, concurrency: flags.concurrency, withOutbox: true, notify: flags.notify }));
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
      pollIntervalMs: flags.pollIntervalMs,
      sentRetentionMs: flags.sentRetentionMs,
      notify: flags.notify,
    });
    cleanup.add('full path', () => fullPath.stop());
    await fullPath.start();
    // A short warm-up, so connection setup and JIT do not count against the first phase.
    await fullPath.run('warm-up', Array.from({ length: 500 }, newEvent), undefined, 10_000);
    if (has('full')) {
      results.push(await fullPath.run('full path', Array.from({ length: flags.events }, newEvent), rate, flags.phaseTimeoutMs));
    }
    const pgBaseline = results.find((result) => result.name === 'pg tx: row insert');
    if (has('full-paced') && rate === undefined && pgBaseline) {
      // The target (half the PostgreSQL baseline, p99 < 50 ms), then lower fractions to show where the latency holds.
      for (const [label, fraction] of [['½', 1 / 2], ['⅓', 1 / 3], ['¼', 1 / 4]] as const) {
        const paced = pgBaseline.perSecond * fraction;
        const events = Math.min(flags.events, Math.ceil(paced * pacedSeconds));
        results.push(await fullPath.run(`full path @ ${label} pg rate`, Array.from({ length: events }, newEvent), paced, flags.phaseTimeoutMs));
      }
    }
    const counts = await fullPath.counts();
    console.log(`after the full path: ${JSON.stringify(counts)}`);
  }

  console.log('');
  printResults(results);
  const pg = results.find((result) => result.name === 'pg tx: row insert');
  const full = results.find((result) => result.name === 'full path');
  console.log('');
  if (pg && full) console.log(`full path / pg transaction, unbounded throughput: ${(full.perSecond / pg.perSecond).toFixed(2)} (target ≥ 0.5)`);
  for (const paced of results.filter((result) => result.name.startsWith('full path @'))) {
    const offered = Number.parseFloat(paced.offered);
    const keptUp = !paced.note?.includes('not consumed') && paced.perSecond >= offered * 0.9;
    console.log(`${paced.name}: kept up ${keptUp ? 'yes' : 'NO'}, p99 ${paced.p99.toFixed(1)} ms (target at ½: kept up, p99 < 50 ms)`);
  }
} finally {
  await cleanup.run();
  console.log(`\ndone in ${((Date.now() - runStartedAt) / 1000).toFixed(1)} s`);
}
process.exit(0);
