import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handleOnce, inboxMessages, pruneInbox, wasHandled, type Transaction } from '../src/index.js';
import { accounts } from './fixtures/service/schema.js';
import { createServiceDatabase, type ServiceDatabase } from './support/database.js';
import { numberedEvent } from './support/events.js';

let service: ServiceDatabase;

beforeAll(async () => {
  service = await createServiceDatabase('outbox_inbox');
});

afterAll(async () => {
  await service?.close();
});

async function balanceOf(id: string): Promise<number | undefined> {
  const [account] = await service.db.select().from(accounts).where(eq(accounts.id, id));
  return account?.balance;
}

const credit = (id: string) => async (tx: Transaction) => {
  await tx.update(accounts).set({ balance: sql`${accounts.balance} + 1` }).where(eq(accounts.id, id));
};

describe('handleOnce', () => {
  it('when the same event is handled twice, then its effect happens once and the second answer is duplicate', async () => {
    // Arrange
    await service.db.insert(accounts).values({ id: 'in-1', balance: 0 });
    const event = numberedEvent(1);

    // Act
    const first = await handleOnce(service.db, 'billing', event, credit('in-1'));
    const second = await handleOnce(service.db, 'billing', event, credit('in-1'));

    // Assert
    expect([first, second]).toEqual(['handled', 'duplicate']);
    expect(await balanceOf('in-1')).toBe(1);
    expect(await wasHandled(service.db, 'billing', event.id)).toBe(true);
  });

  it('when the effect fails, then the inbox row is rolled back too and a retry handles the event', async () => {
    // Arrange
    await service.db.insert(accounts).values({ id: 'in-2', balance: 0 });
    const event = numberedEvent(2);

    // Act
    const failing = handleOnce(service.db, 'billing', event, async (tx) => {
      await credit('in-2')(tx);
      throw new Error('downstream refused');
    });
    await expect(failing).rejects.toThrow('downstream refused');
    const afterFailure = { balance: await balanceOf('in-2'), handled: await wasHandled(service.db, 'billing', event.id) };
    const retry = await handleOnce(service.db, 'billing', event, credit('in-2'));

    // Assert
    expect(afterFailure).toEqual({ balance: 0, handled: false });
    expect(retry).toBe('handled');
    expect(await balanceOf('in-2')).toBe(1);
  });

  it('when two consumers handle the same event, then each applies its own effect once', async () => {
    // Arrange
    await service.db.insert(accounts).values([{ id: 'in-3a', balance: 0 }, { id: 'in-3b', balance: 0 }]);
    const event = numberedEvent(3);

    // Act
    await handleOnce(service.db, 'billing', event, credit('in-3a'));
    await handleOnce(service.db, 'audit', event, credit('in-3b'));
    await handleOnce(service.db, 'audit', event, credit('in-3b'));

    // Assert
    expect([await balanceOf('in-3a'), await balanceOf('in-3b')]).toEqual([1, 1]);
  });

  it('when two deliveries of one event race, then exactly one applies the effect', async () => {
    // Arrange: the first delivery holds its transaction open while the second arrives.
    await service.db.insert(accounts).values({ id: 'in-4', balance: 0 });
    const event = numberedEvent(4);
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));

    // Act
    const first = handleOnce(service.db, 'billing', event, async (tx) => {
      await credit('in-4')(tx);
      await held;
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const second = handleOnce(service.db, 'billing', event, credit('in-4'));
    await new Promise((resolve) => setTimeout(resolve, 100));
    release();

    // Assert
    expect((await Promise.all([first, second])).sort()).toEqual(['duplicate', 'handled']);
    expect(await balanceOf('in-4')).toBe(1);
  });

  it('when inbox rows are older than the window, then pruning forgets them and keeps the recent', async () => {
    // Arrange
    const [old, recent] = [numberedEvent(5), numberedEvent(6)];
    await handleOnce(service.db, 'pruning', old, async () => {});
    await handleOnce(service.db, 'pruning', recent, async () => {});
    await service.db
      .update(inboxMessages)
      .set({ handledAt: sql`now() - interval '40 days'` })
      .where(and(eq(inboxMessages.consumer, 'pruning'), eq(inboxMessages.eventId, old.id)));

    // Act
    const pruned = await pruneInbox(service.db, { olderThanMs: 30 * 24 * 60 * 60 * 1000 });

    // Assert
    expect(pruned).toBe(1);
    expect(await wasHandled(service.db, 'pruning', old.id)).toBe(false);
    expect(await wasHandled(service.db, 'pruning', recent.id)).toBe(true);
  });
});
