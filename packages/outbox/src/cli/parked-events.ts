import { parseArgs } from 'node:util';
import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { listParkedRows, replayParkedRows } from '../parked-rows.js';

const usage = `Usage: parked-events <list|replay> [--limit N] [--event-id ID[,ID…]] [--database-url postgres://…]

  list    print the outbox rows the relay parked (their event was refused too often) as JSON;
          --limit defaults to 100
  replay  hand parked rows back to the relay (all, or those with --event-id), with a fresh allowance
          of refusals; fix the cause first
  --database-url  the producing service's database; defaults to $DATABASE_URL`;

async function main(): Promise<number> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { limit: { type: 'string' }, 'event-id': { type: 'string' }, 'database-url': { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  const [command] = positionals;
  const limit = values.limit === undefined ? undefined : Number(values.limit);
  const url = values['database-url'] ?? process.env.DATABASE_URL;
  if (values.help || (command !== 'list' && command !== 'replay') || !url || (limit !== undefined && !(Number.isInteger(limit) && limit > 0))) {
    process.stderr.write(`${usage}\n`);
    return values.help ? 0 : 2;
  }
  const client = postgres(url, { max: 1, onnotice: () => {}, connect_timeout: 10 });
  try {
    const db = drizzle(client);
    const eventIds = values['event-id']?.split(',').map((id) => id.trim()).filter(Boolean);
    const result =
      command === 'list'
        ? await listParkedRows(db, limit === undefined ? {} : { limit })
        : { replayed: await replayParkedRows(db, eventIds ? { eventIds } : {}) };
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    return 0;
  } finally {
    await client.end({ timeout: 2 });
  }
}

main().then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    const cause = (error as { cause?: unknown } | null | undefined)?.cause;
    const detail = cause instanceof Error ? `: ${cause.message}` : '';
    process.stderr.write(`error: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}${detail}\n`);
    process.exitCode = 1;
  },
);
