import { parseArgs } from 'node:util';
import type { LogFn, Logger } from '@trendcast/core';
import { eventTypes, producerOf } from '@trendcast/events';
import { migrateProducerExchange } from '../exchange-migration.js';
import { countParked, parkedQueueNames, peekParked, replayParked } from '../parked-messages.js';
import { RabbitConnection } from '../rabbit-connection.js';

const usage = `Usage: dead-letters <command> … [--url amqp://…]

  queues [--services notifier,trends] [--producers users,trends] [--namespace NS]
          how many messages wait in each unrouted queue (one per producer; default: every producer of
          the event catalogue) and each dead-letter queue of the named consuming services
  list <queue> [--limit N]
          print parked messages as JSON (they stay in the queue); --limit defaults to 100
  replay <queue> [--limit N] [--message-id ID]
          dead letters go back into their consumer queue as first attempts; unrouted events are
          published to their exchange again (parked again if still nobody is bound); default: all
  migrate-exchange <exchange>
          give a producer exchange from before unrouted parking its unrouted queue (drops its
          bindings: see the messaging README before running it)

  <queue> a consumer queue (notifier.users-events) or its dead-letter queue, or a producer exchange
          (users.events) or its unrouted queue (users.events.unrouted)
  --url   defaults to $RABBITMQ_URL, then amqp://guest:guest@127.0.0.1:5672`;

const toStderr =
  (level: string): LogFn =>
  (first: object | string, message?: string) =>
    process.stderr.write(`${level}: ${typeof first === 'string' ? first : `${message ?? ''} ${JSON.stringify(first)}`}\n`);
const ignore: LogFn = () => {};
const stderrLogger: Logger = { debug: ignore, info: ignore, warn: toStderr('warn'), error: toStderr('error'), child: () => stderrLogger };

const list = (value: string | undefined): string[] | undefined => value?.split(',').map((item) => item.trim()).filter(Boolean);

async function main(): Promise<number> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: {
      limit: { type: 'string' },
      url: { type: 'string' },
      'message-id': { type: 'string' },
      services: { type: 'string' },
      producers: { type: 'string' },
      namespace: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [command, target] = positionals;
  const limit = values.limit === undefined ? undefined : Number(values.limit);
  const known = ['queues', 'list', 'replay', 'migrate-exchange'];
  const needsTarget = command !== 'queues';
  if (values.help || !command || !known.includes(command) || (needsTarget && !target) || (limit !== undefined && !(Number.isInteger(limit) && limit > 0))) {
    process.stderr.write(`${usage}\n`);
    return values.help ? 0 : 2;
  }
  const connection = new RabbitConnection({
    url: values.url ?? process.env.RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672',
    name: 'dead-letters-cli',
    logger: stderrLogger,
  });
  try {
    // An operator tool fails fast instead of waiting for the broker forever.
    await connection.start({ timeoutMs: 10_000 });
    let result: unknown;
    if (command === 'queues') {
      const producers = list(values.producers) ?? [...new Set(eventTypes.map((type) => producerOf(type)))];
      const services = list(values.services) ?? [];
      const consumers = services.map((service) => ({ service, producers }));
      result = await countParked(connection, parkedQueueNames({ producers, consumers, ...(values.namespace ? { namespace: values.namespace } : {}) }));
    } else if (command === 'list') {
      result = await peekParked(connection, target!, limit === undefined ? {} : { limit });
    } else if (command === 'replay') {
      result = await replayParked(connection, target!, { ...(limit === undefined ? {} : { limit }), ...(values['message-id'] ? { messageId: values['message-id'] } : {}) });
    } else {
      result = { exchange: target, outcome: await migrateProducerExchange(connection, target!, { logger: stderrLogger }) };
    }
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    return 0;
  } finally {
    await connection.close();
  }
}

main().then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    const notFound = (error as { code?: unknown } | null | undefined)?.code === 404;
    process.stderr.write(notFound ? 'error: no such queue\n' : `error: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
