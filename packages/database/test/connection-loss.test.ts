import { createTestDatabase, sleep, startTcpProxy, waitFor, type TcpProxy, type TestDatabase } from '@trendcast/testing';
import { sql as raw } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabaseClient, type DatabaseClient } from '../src/index.js';

// The driver used to throw from a timer, out of every caller's reach, when a transaction's
// connection closed before its next statement: the whole process died (patches/postgres.mjs).
describe('a database connection lost in the middle of a transaction', () => {
  let database: TestDatabase;
  let proxy: TcpProxy;
  let client: DatabaseClient<Record<string, never>>;

  beforeAll(async () => {
    database = await createTestDatabase('connection_loss');
    proxy = await startTcpProxy(Number(new URL(database.url).port || 5432));
    const url = new URL(database.url);
    url.port = String(proxy.port);
    client = createDatabaseClient(url.toString(), {}, { max: 2 });
    await client.db.execute(raw`create table marks (id int primary key)`);
  });

  afterAll(async () => {
    await client?.close();
    await proxy?.close();
    await database?.drop();
  });

  it('when the next statement is sent after the connection closed, then the transaction fails with a connection error, nothing is kept, and the client goes on', async () => {
    for (let round = 1; round <= 5; round++) {
      // Act
      const transaction = client.db.transaction(async (tx) => {
        await tx.execute(raw`insert into marks (id) values (${round})`);
        proxy.cutAll();
        await waitFor(() => proxy.connectionCount() === 0, { what: 'the cut' });
        await sleep(50); // lets the client see its socket close before it writes again
        await tx.execute(raw`insert into marks (id) values (${-round})`);
      });

      // Assert
      await expect(transaction).rejects.toMatchObject({ code: expect.stringMatching(/^(CONNECTION_CLOSED|CONNECTION_DESTROYED|ECONNRESET|EPIPE)$/) });
    }
    const kept = await client.db.execute(raw`select count(*)::int as count from marks`);
    expect(kept[0]).toEqual({ count: 0 });
  }, 30_000);
});
