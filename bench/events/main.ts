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
import { combineRounds, printResults, type PhaseResult } from './stats.js';

type QueueType = (typeof flags.queueTypes)[number];

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
  const pgBaseline = () => results.find((result) => result.name === 'pg tx: row insert');
  // The full path on each consumer queue type. Each type has a producer database of its own, so both
  // can be set up at once and their runs alternate (round by round): on a machine whose speed drifts,
  // back-to-back runs would favour whichever came second. The paced phases run on the first type only.
  const fullPaths: Array<[QueueType, FullPath]> = [];
  if (has('full') || has('full-paced')) {
    for (const queueType of flags.queueTypes) {
      const ownProducer = queueType === flags.queueTypes[0] ? producer : await createBenchDatabase(`bench_producer_${queueType}`);
      if (ownProducer !== producer) {
        cleanup.add(`producer database (${queueType})`, () => ownProducer.drop());
        ownCpu.addDatabase(ownProducer.name);
      }
      const fullPath = new FullPath({
        producerUrl: ownProducer.url,
        consumerUrl: consumer.url,
        rabbitUrl: testEnv.rabbitUrl,
        namespace: `${namespace}.${queueType}`,
        concurrency: flags.concurrency,
        batchSize: flags.batchSize,
        prefetch: flags.prefetch,
        consumerPool: flags.consumerPool,
        consumerBatch: flags.consumerBatch,
        pollIntervalMs: flags.pollIntervalMs,
        sentRetentionMs: flags.sentRetentionMs,
        notify: flags.notify,
        queueType,
      });
      cleanup.add(`full path (${queueType})`, () => fullPath.stop());
      await fullPath.start();
      // A short warm-up, so connection setup and JIT do not count against the first phase.
      await fullPath.run('warm-up', Array.from({ length: 500 }, newEvent), undefined, 10_000);
      fullPaths.push([queueType, fullPath]);
    }
  }
  if (has('full')) {
    const rounds = new Map<QueueType, PhaseResult[]>(flags.queueTypes.map((queueType) => [queueType, []]));
    const perRound = Math.ceil(flags.events / flags.rounds);
    for (let round = 1; round <= flags.rounds && has('full'); round += 1) {
      for (const [queueType, fullPath] of fullPaths) {
        if (!has('full')) break;
        const result = await fullPath.run(`full path [${queueType}] round ${round}`, Array.from({ length: perRound }, newEvent), rate, phaseTimeout());
        rounds.get(queueType)!.push(result);
        results.push(result);
      }
    }
    for (const [queueType, runs] of rounds) if (runs.length > 0) results.push(combineRounds(`full path [${queueType}]`, runs));
  }
  const [first] = fullPaths;
  if (first && has('full-paced') && rate === undefined) {
    // The target (half the PostgreSQL baseline, p99 < 50 ms), then fractions of the full path's own
    // unbounded rate, to show the latency where it keeps up.
    const [queueType, fullPath] = first;
    const fullMax = results.find((result) => result.name === `full path [${queueType}]`);
    const paces: Array<[string, number]> = [];
    const pg = pgBaseline();
    if (pg) paces.push([`full path [${queueType}] @ ½ pg rate`, pg.perSecond / 2]);
    if (fullMax) paces.push([`full path [${queueType}] @ 75% of its max`, fullMax.perSecond * 0.75], [`full path [${queueType}] @ 50% of its max`, fullMax.perSecond * 0.5]);
    for (const [name, paced] of paces) {
      if (!has('full-paced')) break;
      const events = Math.min(flags.events, Math.ceil(paced * pacedSeconds));
      results.push(await fullPath.run(name, Array.from({ length: events }, newEvent), paced, phaseTimeout()));
    }
  }
  for (const [queueType, fullPath] of fullPaths) {
    console.log(`after the full path [${queueType}]: ${JSON.stringify(await fullPath.counts())}`);
    await fullPath.stop();
  }

  console.log('');
  printResults(results);
  if (skipped.length > 0) console.log(`\nskipped for lack of time (--max-seconds ${flags.maxSeconds}): ${[...new Set(skipped)].join(', ')}`);
  const pg = pgBaseline();
  console.log('');
  const fulls = flags.queueTypes.map((queueType) => [queueType, results.find((result) => result.name === `full path [${queueType}]`)] as const);
  for (const [queueType, full] of fulls) {
    if (pg && full && rate === undefined) console.log(`full path [${queueType}] / pg transaction, unbounded throughput: ${(full.perSecond / pg.perSecond).toFixed(2)} (target ≥ 0.5)`);
  }
  const quorum = fulls.find(([queueType]) => queueType === 'quorum')?.[1];
  const classic = fulls.find(([queueType]) => queueType === 'classic')?.[1];
  if (quorum && classic && rate === undefined) {
    const ratio = quorum.perSecond / classic.perSecond;
    console.log(`full path, quorum / classic consumer queues, same run: ${ratio.toFixed(2)} (limit: ≥ 0.85, at most 15 % slower) ${ratio >= 0.85 ? 'met' : 'NOT met'}`);
  }
  for (const paced of results.filter((result) => result.name.includes('] @ '))) {
    const offered = Number.parseFloat(paced.offered);
    const keptUp = !paced.note?.includes('not consumed') && paced.perSecond >= offered * 0.9;
    console.log(`${paced.name}: kept up ${keptUp ? 'yes' : 'NO'}, p99 ${paced.p99.toFixed(1)} ms${paced.name.includes('pg rate') ? ' (target: kept up, p99 < 50 ms)' : ''}`);
  }
} finally {
  await cleanup.run();
  console.log(`\ndone in ${((Date.now() - runStartedAt) / 1000).toFixed(1)} s`);
}
process.exit(0);
