import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addToOutbox, outboxMessages } from '../src/index.js';
import { createServiceDatabase, type ServiceDatabase } from './support/database.js';
import { numberedEvent } from './support/events.js';

const run = promisify(execFile);
const cli = fileURLToPath(new URL('../src/cli/parked-events.ts', import.meta.url));
let service: ServiceDatabase;

beforeAll(async () => {
  service = await createServiceDatabase('outbox_cli');
});

afterAll(async () => {
  await service?.close();
});

async function parkedEvents(...args: string[]): Promise<unknown> {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', cli, ...args, '--database-url', service.database.url]);
  return JSON.parse(stdout);
}

describe('parked-events CLI', () => {
  it('when a row is parked, then list shows it with why, and replay hands it back to the relay', async () => {
    // Arrange
    const [parked, flowing] = [numberedEvent(1), numberedEvent(2)];
    await addToOutbox(service.db, [parked, flowing]);
    await service.db
      .update(outboxMessages)
      .set({ parkedAt: sql`now()`, refusals: 10, attempts: 12, lastError: 'the broker refused the message (basic.nack)' })
      .where(eq(outboxMessages.eventId, parked.id));

    // Act
    const listed = (await parkedEvents('list')) as { count: number; rows: Array<{ eventId: string; lastError: string; refusals: number }> };
    const replayed = await parkedEvents('replay', '--event-id', parked.id);

    // Assert
    expect(listed.count).toBe(1);
    expect(listed.rows[0]).toMatchObject({ eventId: parked.id, refusals: 10, lastError: 'the broker refused the message (basic.nack)' });
    expect(replayed).toEqual({ replayed: 1 });
    const [row] = await service.db.select().from(outboxMessages).where(eq(outboxMessages.eventId, parked.id));
    expect(row).toMatchObject({ parkedAt: null, refusals: 0, nextAttemptAt: null, attempts: 12 });
  });
});
