import { createTestDatabase, sleep, startTcpProxy, waitFor, type TcpProxy, type TestDatabase } from '@trendcast/testing';
import { sql as raw } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabaseClient, type DatabaseClient } from '../src/index.js';

// Faults of the driver that patches/postgres+3.4.9.patch mends: each test fails without it.
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

  it('when a transaction goes on after its connection closed, then its statements fail and never reach the transaction that reuses the connection', async () => {
    // Arrange: one connection, so the second transaction gets the same one, reconnected.
    const url = new URL(database.url);
    url.port = String(proxy.port);
    const single = createDatabaseClient(url.toString(), {}, { max: 1 });
    let secondBegun!: () => void;
    const secondHasBegun = new Promise<void>((resolve) => (secondBegun = resolve));
    let lateStatement: Promise<unknown> | undefined;
    try {
      // Act
      const first = single.db.transaction(async (tx) => {
        await tx.execute(raw`insert into marks (id) values (100)`);
        proxy.cutAll();
        await secondHasBegun;
        lateStatement = tx.execute(raw`insert into marks (id) values (-100)`);
        await lateStatement;
      });
      await expect(first).rejects.toMatchObject({ code: 'CONNECTION_CLOSED' });
      await single.db.transaction(async (tx) => {
        await tx.execute(raw`insert into marks (id) values (200)`);
        secondBegun();
        await sleep(100);
        await tx.execute(raw`insert into marks (id) values (201)`);
      });

      // Assert
      await expect(lateStatement).rejects.toMatchObject({ cause: { code: 'CONNECTION_CLOSED' } });
      const rows = await single.db.execute<{ id: number }>(raw`select id from marks where id in (100, -100, 200, 201) order by id`);
      expect(rows.map((row) => row.id)).toEqual([200, 201]);
    } finally {
      await single.close();
    }
  }, 30_000);
});
