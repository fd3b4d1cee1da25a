import { countSocketWrites, createTestDatabase, type TestDatabase } from '@trendcast/testing';
import { sql as raw } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabaseClient, type DatabaseClient } from '../src/index.js';

// patches/postgres+3.4.9.patch lets the statements a transaction issues together leave in one socket write:
// a state change and its outbox row then cost the server one wake-up, not two.
describe('statements issued together', () => {
  let database: TestDatabase;
  let client: DatabaseClient<Record<string, never>>;
  const port = () => Number(new URL(database.url).port || 5432);
  const kilobyte = 'k'.repeat(1024);
  // Literal values: a statement with parameters the driver has not prepared yet first asks the server
  // to describe them, a round trip of its own that would blur the count.
  const insert = (table: 'changes' | 'events', id: number, body: string) => raw.raw(`insert into ${table} values (${id}, '${body}')`);

  beforeAll(async () => {
    database = await createTestDatabase('statement_writes');
    client = createDatabaseClient(database.url, {}, { max: 1 });
    await client.db.execute(raw`create table changes (id int primary key, body text not null)`);
    await client.db.execute(raw`create table events (id int primary key, body text not null)`);
  });

  afterAll(async () => {
    await client?.close();
    await database?.drop();
  });

  it('when a transaction issues two 1 KB statements at once, then BEGIN, both statements and COMMIT take three writes', async () => {
    // Arrange
    const counter = countSocketWrites(port());

    // Act
    try {
      await client.db.transaction(async (tx) => {
        await Promise.all([tx.execute(insert('changes', 1, kilobyte)), tx.execute(insert('events', 1, kilobyte))]);
      });
    } finally {
      counter.stop();
    }

    // Assert
    expect(counter.writes).toBe(3);
    const [row] = await client.db.execute<{ changes: number; events: number }>(
      raw`select (select count(*)::int from changes) as changes, (select count(*)::int from events) as events`,
    );
    expect(row).toEqual({ changes: 1, events: 1 });
  });

  it('when one statement is larger than the gathering limit, then it still goes out, whole', async () => {
    // Arrange
    const large = 'L'.repeat(64 * 1024);

    // Act
    await client.db.transaction(async (tx) => {
      await Promise.all([tx.execute(insert('changes', 2, large)), tx.execute(insert('events', 2, kilobyte))]);
    });

    // Assert
    const [row] = await client.db.execute<{ length: number }>(raw`select length(body) as length from changes where id = 2`);
    expect(row?.length).toBe(large.length);
  });
});
