import { parseArgs } from 'node:util';
import { z } from 'zod';

export const phaseNames = ['pg', 'pg-outbox', 'pg-notify-each', 'amqp', 'full', 'full-paced'] as const;
export type PhaseName = (typeof phaseNames)[number];

const positiveInt = z.coerce.number().int().positive();

const flagsSchema = z.object({
  events: positiveInt.default(10_000),
  /** Events per second for every phase; "unbounded" (the default) runs each as fast as it goes. */
  rate: z.union([z.literal('unbounded'), z.coerce.number().positive()]).default('unbounded'),
  /** Producer transactions (or amqp publishes, for the baseline) in flight at once. */
  concurrency: positiveInt.default(16),
  payloadBytes: positiveInt.min(400).max(1_300).default(1_024),
  batchSize: positiveInt.default(500),
  prefetch: positiveInt.default(100),
  /** Outstanding confirms of the raw amqplib publisher. */
  confirmWindow: positiveInt.default(500),
  consumerPool: positiveInt.default(20),
  /** Most events per consumer transaction (EventConsumer.onBatch + handleBatchOnce); 1: a transaction per event. */
  consumerBatch: positiveInt.default(100),
  pollIntervalMs: positiveInt.default(1_000),
  /** How long the relay keeps sent rows; 0 deletes them as they are confirmed. */
  sentRetentionMs: z.coerce.number().int().min(0).optional(),
  notify: z.boolean().default(true),
  /** Rounds the unbounded full path is split into, alternating between the queue types. */
  rounds: positiveInt.default(2),
  /** The consumer queue types the full path runs on, alternating round by round in the same run. */
  queueTypes: z
    .string()
    .default('quorum,classic')
    .transform((value) => value.split(',').map((name) => name.trim()))
    .pipe(z.array(z.enum(['quorum', 'classic'])).min(1)),
  phases: z
    .string()
    .default(phaseNames.join(','))
    .transform((value) => value.split(',').map((name) => name.trim()))
    .pipe(z.array(z.enum(phaseNames)).min(1)),
  /** Cap per phase, so the whole run stays bounded. */
  phaseTimeoutMs: positiveInt.default(20_000),
  /** The whole run stops starting phases past this budget, so it always ends within about two minutes. */
  maxSeconds: positiveInt.default(100),
});

export type BenchFlags = z.infer<typeof flagsSchema>;

export const usage = `usage: npm run bench:events -- [flags]
  --events N            events per phase (default 10000)
  --rate R|unbounded    events/s offered in every phase (default unbounded; then a last phase runs
                        the full path at half the measured PostgreSQL baseline)
  --concurrency C       producer transactions / publishes in flight (default 16)
  --payload-bytes B     size of each encoded event (default 1024)
  --batch-size N        relay batch size (default 500)
  --prefetch N          consumer prefetch = handlers at once (default 100)
  --confirm-window N    outstanding confirms of the raw amqplib baseline (default 500)
  --consumer-pool N     PostgreSQL connections of the consuming service (default 20)
  --consumer-batch N    most events per consumer transaction (default 100; 1 = handleOnce per event)
  --poll-interval-ms N  relay poll fallback (default 1000)
  --sent-retention-ms N how long the relay keeps sent rows (default: the relay's, 24 h; 0 deletes at once)
  --no-notify           do not NOTIFY the relay from the producing transaction (polling only)
  --queue-types a,b     consumer queue types of the full path (default quorum,classic); their unbounded
                        runs alternate, --events split into --rounds (default 2) each; the paced
                        phases run on the first type
  --phases a,b          subset of ${phaseNames.join(',')}
  --phase-timeout-ms N  cap per phase (default 20000)
  --max-seconds N       time budget of the whole run; later phases are skipped past it (default 100)`;

export function parseFlags(argv: string[]): BenchFlags {
  const { values } = parseArgs({
    args: argv,
    options: {
      events: { type: 'string' },
      rate: { type: 'string' },
      concurrency: { type: 'string' },
      'payload-bytes': { type: 'string' },
      'batch-size': { type: 'string' },
      prefetch: { type: 'string' },
      'confirm-window': { type: 'string' },
      'consumer-pool': { type: 'string' },
      'consumer-batch': { type: 'string' },
      'poll-interval-ms': { type: 'string' },
      'sent-retention-ms': { type: 'string' },
      'no-notify': { type: 'boolean' },
      'queue-types': { type: 'string' },
      rounds: { type: 'string' },
      phases: { type: 'string' },
      'phase-timeout-ms': { type: 'string' },
      'max-seconds': { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    console.log(usage);
    process.exit(0);
  }
  const parsed = flagsSchema.safeParse({
    events: values.events,
    rate: values.rate,
    concurrency: values.concurrency,
    payloadBytes: values['payload-bytes'],
    batchSize: values['batch-size'],
    prefetch: values.prefetch,
    confirmWindow: values['confirm-window'],
    consumerPool: values['consumer-pool'],
    consumerBatch: values['consumer-batch'],
    pollIntervalMs: values['poll-interval-ms'],
    sentRetentionMs: values['sent-retention-ms'],
    notify: values['no-notify'] ? false : undefined,
    queueTypes: values['queue-types'],
    rounds: values.rounds,
    phases: values.phases,
    phaseTimeoutMs: values['phase-timeout-ms'],
    maxSeconds: values['max-seconds'],
  });
  if (!parsed.success) {
    console.error(`${z.prettifyError(parsed.error)}\n\n${usage}`);
    process.exit(2);
  }
  return parsed.data;
}
