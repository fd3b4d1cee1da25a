import { inArray, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handleBatchOnce, handleOnce, wasHandled, type Transaction } from '../src/index.js';
import { accounts } from './fixtures/service/schema.js';
import { createServiceDatabase, type ServiceDatabase } from './support/database.js';
import { numberedEvent, seqOf } from './support/events.js';

let service: ServiceDatabase;

beforeAll(async () => {
  service = await createServiceDatabase('outbox_inbox_batch');
});

afterAll(async () => {
  await service?.close();
});

/** One account per event, `acct-<seq>`, credited once per handled event. */
async function openAccounts(prefix: string, seqs: number[]): Promise<void> {
  await service.db.insert(accounts).values(seqs.map((seq) => ({ id: `${prefix}-${seq}`, balance: 0 })));
}

async function balances(prefix: string, seqs: number[]): Promise<number[]> {
  const ids = seqs.map((seq) => `${prefix}-${seq}`);
  const rows = await service.db.select().from(accounts).where(inArray(accounts.id, ids));
  const byId = new Map(rows.map((row) => [row.id, row.balance]));
  return ids.map((id) => byId.get(id) ?? Number.NaN);
}

const creditEach = (prefix: string) => async (tx: Transaction, fresh: Array<ReturnType<typeof numberedEvent>>) => {
  const ids = fresh.map((event) => `${prefix}-${seqOf(event)}`);
  await tx.update(accounts).set({ balance: sql`${accounts.balance} + 1` }).where(inArray(accounts.id, ids));
};

describe('handleBatchOnce', () => {
  it('when a batch is handled, then every event is recorded and applied once, in one effect call', async () => {
    // Arrange
    const seqs = [1, 2, 3, 4];
    await openAccounts('b1', seqs);
    const events = seqs.map(numberedEvent);
    const calls: number[][] = [];

    // Act
    const outcome = await handleBatchOnce(service.db, 'billing', events, async (tx, fresh) => {
      calls.push(fresh.map(seqOf));
      await creditEach('b1')(tx, fresh);
    });

    // Assert
    expect(outcome.handled.map(seqOf)).toEqual(seqs);
    expect(outcome.duplicates).toEqual([]);
    expect(calls).toEqual([seqs]);
    expect(await balances('b1', seqs)).toEqual([1, 1, 1, 1]);
    for (const event of events) expect(await wasHandled(service.db, 'billing', event.id)).toBe(true);
  });

  it('when some events were handled before (one at a time or in a batch), then only the others reach the effect', async () => {
    // Arrange
    const seqs = [11, 12, 13, 14];
    await openAccounts('b2', seqs);
    const events = seqs.map(numberedEvent);
    await handleOnce(service.db, 'billing', events[0]!, (tx) => creditEach('b2')(tx, [events[0]!]));
    await handleBatchOnce(service.db, 'billing', [events[2]!], creditEach('b2'));

    // Act
    const outcome = await handleBatchOnce(service.db, 'billing', events, creditEach('b2'));

    // Assert
    expect(outcome.handled.map(seqOf)).toEqual([12, 14]);
    expect(outcome.duplicates.map(seqOf)).toEqual([11, 13]);
    expect(await balances('b2', seqs)).toEqual([1, 1, 1, 1]);
  });

  it('when the same event appears twice in a batch, then it is applied once and its copy is a duplicate', async () => {
    // Arrange
    await openAccounts('b3', [21]);
    const event = numberedEvent(21);

    // Act
    const outcome = await handleBatchOnce(service.db, 'billing', [event, event], creditEach('b3'));

    // Assert
    expect([outcome.handled.length, outcome.duplicates.length]).toEqual([1, 1]);
    expect(await balances('b3', [21])).toEqual([1]);
  });

  it('when every event was handled before, then the effect is not called', async () => {
    // Arrange
    const events = [numberedEvent(31), numberedEvent(32)];
    await handleBatchOnce(service.db, 'billing', events, async () => {});
    let called = false;

    // Act
    const outcome = await handleBatchOnce(service.db, 'billing', events, async () => {
      called = true;
    });

    // Assert
    expect(called).toBe(false);
    expect(outcome.duplicates).toHaveLength(2);
  });

  it('when the effect fails, then no event of the batch is recorded and a retry applies them all', async () => {
    // Arrange
    const seqs = [41, 42, 43];
    await openAccounts('b4', seqs);
    const events = seqs.map(numberedEvent);

    // Act
    const failing = handleBatchOnce(service.db, 'billing', events, async (tx, fresh) => {
      await creditEach('b4')(tx, fresh);
      throw new Error('downstream refused');
    });
    await expect(failing).rejects.toThrow('downstream refused');
    const afterFailure = { balances: await balances('b4', seqs), handled: await wasHandled(service.db, 'billing', events[1]!.id) };
    const retry = await handleBatchOnce(service.db, 'billing', events, creditEach('b4'));

    // Assert
    expect(afterFailure).toEqual({ balances: [0, 0, 0], handled: false });
    expect(retry.handled).toHaveLength(3);
    expect(await balances('b4', seqs)).toEqual([1, 1, 1]);
  });

  it('when two overlapping batches race (ids in opposite orders), then each event is applied exactly once', async () => {
    // Arrange: the first batch holds its transaction open while the second, overlapping it, arrives.
    const seqs = [51, 52, 53, 54, 55];
    await openAccounts('b5', seqs);
    const events = seqs.map(numberedEvent);
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));

    // Act
    const first = handleBatchOnce(service.db, 'billing', events.slice(0, 4), async (tx, fresh) => {
      await creditEach('b5')(tx, fresh);
      await held;
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const second = handleBatchOnce(service.db, 'billing', events.slice(1).reverse(), creditEach('b5'));
    await new Promise((resolve) => setTimeout(resolve, 100));
    release();
    const [a, b] = await Promise.all([first, second]);

    // Assert
    expect(a.handled.map(seqOf)).toEqual([51, 52, 53, 54]);
    expect(b.handled.map(seqOf)).toEqual([55]);
    expect(b.duplicates.map(seqOf).sort()).toEqual([52, 53, 54]);
    expect(await balances('b5', seqs)).toEqual([1, 1, 1, 1, 1]);
  });

  it('when given no events, then it opens no transaction and reports nothing', async () => {
    // Act
    const outcome = await handleBatchOnce(service.db, 'billing', [], async () => {
      throw new Error('not called');
    });

    // Assert
    expect(outcome).toEqual({ handled: [], duplicates: [] });
  });

  it('when an event id is written in upper case, then it is still recognised as handled', async () => {
    // Arrange
    await openAccounts('b6', [61]);
    const event = { ...numberedEvent(61), id: numberedEvent(61).id.toUpperCase() };

    // Act
    const first = await handleBatchOnce(service.db, 'billing', [event], creditEach('b6'));
    const second = await handleBatchOnce(service.db, 'billing', [event], creditEach('b6'));

    // Assert
    expect([first.handled.length, second.duplicates.length]).toEqual([1, 1]);
    expect(await balances('b6', [61])).toEqual([1]);
  });
});
