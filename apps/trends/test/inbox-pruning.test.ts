import { randomUUID } from 'node:crypto';
import { waitFor } from '@trendcast/testing';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from './support/service.js';

describe('inbox pruning', () => {
  let stack: TestStack;
  let sql: postgres.Sql;

  beforeAll(async () => {
    stack = await startTestStack({ env: { INBOX_RETENTION_DAYS: '7' }, start: false });
    sql = postgres(stack.db.url, { max: 1, onnotice: () => {} });
  });

  afterAll(async () => {
    await sql?.end();
    await stack?.close();
  });

  it('when the service starts with handled events older than INBOX_RETENTION_DAYS, then its pruner forgets them and keeps the younger ones', async () => {
    // Arrange: ids the users.user.deleted consumer handled 8 days, 6 days and a moment ago.
    const [old, younger, recent] = [randomUUID(), randomUUID(), randomUUID()];
    await sql`insert into inbox_messages (consumer, event_id, handled_at) values
      ('trends', ${old}, now() - interval '8 days'),
      ('trends', ${younger}, now() - interval '6 days'),
      ('trends', ${recent}, now())`;

    // Act
    await stack.service.start();

    // Assert
    const left = await waitFor(
      async () => {
        const rows = await sql<Array<{ event_id: string }>>`select event_id from inbox_messages`;
        return !rows.some((row) => row.event_id === old) && rows.map((row) => row.event_id);
      },
      { what: 'the old id to be pruned' },
    );
    expect(left.sort()).toEqual([younger, recent].sort());
  });
});
