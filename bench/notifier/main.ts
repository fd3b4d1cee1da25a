import { parseArgs } from 'node:util';
import { z } from 'zod';
import { startNotifier, type NotifierHarness } from '../../apps/notifier/test/support/service.js';
import { startSmtpCapture, type SmtpCapture } from '../../apps/notifier/test/support/smtp-capture.js';
import { runPipeline, seedUsers } from './pipeline.js';
import { runSmtpBaseline } from './smtp-baseline.js';
import { now, type PhaseResult } from './stats.js';

const usage = `usage: npm run bench:notifier -- [flags]
  --events N             mails per phase (default 2000)
  --users N              registered users the activity events are spread over (default 200)
  --concurrency N        mails the worker sends at once (EMAIL_CONCURRENCY), and in flight in the baseline (default 10)
  --smtp-connections N   pooled SMTP connections (default 5); 0 = a new connection per mail
  --publish-window N     event publishes awaiting their confirm at once (default 100)
  --paced-fraction F     the paced phase offers this fraction of the measured throughput (default 0.5)
  --phase-timeout-ms N   cap per phase (default 30000); the whole run stays under ~5 phases of it`;

const positiveInt = z.coerce.number().int().positive();
const flagsSchema = z.object({
  events: positiveInt.default(2_000),
  users: positiveInt.default(200),
  concurrency: positiveInt.default(10),
  smtpConnections: z.coerce.number().int().min(0).default(5),
  publishWindow: positiveInt.default(100),
  pacedFraction: z.coerce.number().positive().max(1).default(0.5),
  phaseTimeoutMs: positiveInt.default(30_000),
});

function readFlags() {
  const { values } = parseArgs({
    options: Object.fromEntries(
      ['events', 'users', 'concurrency', 'smtp-connections', 'publish-window', 'paced-fraction', 'phase-timeout-ms', 'help'].map((name) => [
        name,
        { type: name === 'help' ? ('boolean' as const) : ('string' as const) },
      ]),
    ),
  });
  if (values.help) {
    console.log(usage);
    process.exit(0);
  }
  const camel = Object.fromEntries(Object.entries(values).map(([key, value]) => [key.replace(/-(\w)/g, (_, c: string) => c.toUpperCase()), value]));
  const parsed = flagsSchema.safeParse(camel);
  if (!parsed.success) {
    console.error(`${parsed.error.issues.map((issue) => `--${String(issue.path[0])}: ${issue.message}`).join('\n')}\n\n${usage}`);
    process.exit(2);
  }
  return parsed.data;
}

const flags = readFlags();
const deadlineIn = () => now() + flags.phaseTimeoutMs;
const results: PhaseResult[] = [];
let smtp: SmtpCapture | undefined;
let harness: NotifierHarness | undefined;

try {
  // The SMTP server keeps raw mails only: parsing them would tax the same two cores the notifier runs on.
  smtp = await startSmtpCapture({ parse: false });
  const poolQuery = flags.smtpConnections > 0 ? `pool=true&maxConnections=${flags.smtpConnections}` : 'pool=false';
  const smtpUrl = `${smtp.url}?${poolQuery}`;
  console.log(`notifier bench: ${flags.events} mails per phase, worker concurrency ${flags.concurrency}, SMTP ${poolQuery}`);

  for (const client of ['nodemailer', 'transport'] as const) {
    // nodemailer's defaults manage ~100 mails/s here: a smaller sample says as much.
    const mails = client === 'nodemailer' ? Math.min(flags.events, 500) : flags.events;
    results.push(await runSmtpBaseline({ client, smtp, smtpUrl, mails, concurrency: flags.concurrency, deadline: deadlineIn() }));
    smtp.mails.length = 0;
  }

  harness = await startNotifier({ smtpUrl, env: { EMAIL_CONCURRENCY: String(flags.concurrency) } });
  const userIds = await seedUsers(harness, smtp, flags.users, deadlineIn());
  smtp.mails.length = 0;

  const pipelinePhase = { h: harness, smtp, userIds, events: flags.events, publishWindow: flags.publishWindow };
  const unbounded = await runPipeline({ ...pipelinePhase, phase: 'pipeline', deadline: deadlineIn() });
  results.push(unbounded);
  smtp.mails.length = 0;

  const rate = Math.max(1, Math.round(unbounded.perSecond * flags.pacedFraction));
  const pacedEvents = Math.min(flags.events, Math.max(200, rate * 10));
  results.push(await runPipeline({ ...pipelinePhase, phase: 'pipeline-paced', events: pacedEvents, rate, deadline: deadlineIn() }));
} finally {
  await harness?.close();
  await smtp?.close();
}

console.log('');
console.table(results.map((r) => ({ phase: r.phase, offered: r.offered, 'mails': `${r.sent}/${r.expected}`, 'mails/s': r.perSecond, 'p50 ms': r.p50Ms, 'p99 ms': r.p99Ms, 'max ms': r.maxMs, seconds: r.seconds })));
console.log('latency: event published (smtp phases: mail handed to nodemailer) → SMTP server accepted the message (250 after DATA).');
if (results.some((r) => !r.complete)) {
  console.error('some phases did not finish within --phase-timeout-ms');
  process.exitCode = 1;
}
