import { parseArgs } from 'node:util';
import { inspectDeadLetters, replayDeadLetters } from '../dead-letters.js';
import type { LogFn, Logger } from '@trendcast/core';
import { RabbitConnection } from '../rabbit-connection.js';

const usage = `Usage: dead-letters <list|replay> <queue> [--limit N] [--url amqp://…]

  list    print dead letters as JSON (they stay in the queue); --limit defaults to 100
  replay  move dead letters back into their queue as first attempts; --limit defaults to all
  <queue> the consumer queue (notifier.users-events) or its dead-letter queue
  --url   defaults to $RABBITMQ_URL, then amqp://guest:guest@127.0.0.1:5672`;

const toStderr =
  (level: string): LogFn =>
  (first: object | string, message?: string) =>
    process.stderr.write(`${level}: ${typeof first === 'string' ? first : `${message ?? ''} ${JSON.stringify(first)}`}\n`);
const ignore: LogFn = () => {};
const stderrLogger: Logger = { debug: ignore, info: ignore, warn: toStderr('warn'), error: toStderr('error'), child: () => stderrLogger };

async function main(): Promise<number> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { limit: { type: 'string' }, url: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  const [command, queue] = positionals;
  const limit = values.limit === undefined ? undefined : Number(values.limit);
  if (values.help || !queue || (command !== 'list' && command !== 'replay') || (limit !== undefined && !(Number.isInteger(limit) && limit > 0))) {
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
    await Promise.race([
      connection.start(),
      new Promise((_, reject) => setTimeout(() => reject(new Error('cannot reach RabbitMQ within 10 s')), 10_000).unref()),
    ]);
    const options = limit === undefined ? {} : { limit };
    const result = command === 'list' ? await inspectDeadLetters(connection, queue, options) : await replayDeadLetters(connection, queue, options);
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
    process.stderr.write(notFound ? 'error: no such dead-letter queue\n' : `error: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
