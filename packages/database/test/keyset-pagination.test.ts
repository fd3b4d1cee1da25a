import { randomUUID } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '@trendcast/testing';
import { and, sql } from 'drizzle-orm';
import { pgTable, timestamp, uuid } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabaseClient, newestFirstAfter, type DatabaseClient } from '../src/index.js';

const items = pgTable('keyset_items', { id: uuid('id').primaryKey(), createdAt: timestamp('created_at', { withTimezone: true }).notNull() });

describe('newestFirstAfter', () => {
  let database: TestDatabase;
  let client: DatabaseClient<Record<string, never>>;

  beforeAll(async () => {
    database = await createTestDatabase('keyset');
    client = createDatabaseClient(database.url, {});
    await client.db.execute(sql`create table keyset_items (id uuid primary key, created_at timestamptz not null)`);
  });

  afterAll(async () => {
    await client?.close();
    await database?.drop();
  });

  it('when rows share a timestamp and more are added between pages, then paging newest first sees each older row once', async () => {
    const tie = new Date(Date.UTC(2030, 0, 2));
    const rows = [
      { id: randomUUID(), createdAt: new Date(Date.UTC(2030, 0, 3)) },
      { id: randomUUID(), createdAt: tie },
      { id: randomUUID(), createdAt: tie },
      { id: randomUUID(), createdAt: tie },
      { id: randomUUID(), createdAt: new Date(Date.UTC(2030, 0, 1)) },
    ];
    await client.db.insert(items).values(rows);

    const seen: string[] = [];
    let position: { at: string; id: string } | undefined;
    for (let page = 0; page < 10; page += 1) {
      const order = newestFirstAfter({ at: items.createdAt, id: items.id }, position);
      const found = await client.db.select().from(items).where(and(order.where)).orderBy(...order.orderBy).limit(2);
      if (found.length === 0) break;
      seen.push(...found.map((row) => row.id));
      const last = found.at(-1)!;
      position = { at: last.createdAt.toISOString(), id: last.id };
      // A newer row written meanwhile belongs to the first page, never to a later one.
      if (page === 0) await client.db.insert(items).values({ id: randomUUID(), createdAt: new Date(Date.UTC(2031, 0, 1)) });
    }

    const expected = [...rows].sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : -1)).map((row) => row.id);
    expect(seen).toEqual(expected);
  });
});
