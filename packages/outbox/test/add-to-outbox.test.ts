import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addToOutbox, outboxMessages } from '../src/index.js';
import { accounts } from './fixtures/service/schema.js';
import { createServiceDatabase, type ServiceDatabase } from './support/database.js';
import { numberedEvent } from './support/events.js';
import { driverOf } from '../src/driver.js';

let service: ServiceDatabase;

beforeAll(async () => {
  service = await createServiceDatabase('outbox_add');
});

afterAll(async () => {
  await service?.close();
});

describe('addToOutbox', () => {
  it('when the state change and the event are written in one transaction, then both are stored, the whole envelope kept', async () => {
    // Arrange
    const event = numberedEvent(1);

    // Act
    await service.db.transaction(async (tx) => {
      await tx.insert(accounts).values({ id: 'acc-1', balance: 10 });
      await addToOutbox(tx, event);
    });

    // Assert
    const [account] = await service.db.select().from(accounts).where(eq(accounts.id, 'acc-1'));
    const [row] = await service.db.select().from(outboxMessages).where(eq(outboxMessages.eventId, event.id));
    expect(account?.balance).toBe(10);
    expect(row).toMatchObject({ type: event.type, payload: event, sentAt: null, attempts: 0, lastError: null });
  });

  it('when the transaction fails after adding the event, then neither the state change nor the event remains', async () => {
    // Arrange
    const event = numberedEvent(2);

    // Act
    const attempt = service.db.transaction(async (tx) => {
      await tx.insert(accounts).values({ id: 'acc-2', balance: 20 });
      await addToOutbox(tx, event);
      throw new Error('business rule broken after the event was added');
    });

    // Assert
    await expect(attempt).rejects.toThrow('business rule broken');
    expect(await service.db.select().from(accounts).where(eq(accounts.id, 'acc-2'))).toEqual([]);
    expect(await service.db.select().from(outboxMessages).where(eq(outboxMessages.eventId, event.id))).toEqual([]);
  });

  it('when the database rejects the state change, then the event added before it is rolled back too', async () => {
    // Arrange
    const event = numberedEvent(3);
    await service.db.insert(accounts).values({ id: 'acc-3', balance: 30 });

    // Act: the outbox row goes first, then a duplicate key fails the transaction.
    const attempt = service.db.transaction(async (tx) => {
      await addToOutbox(tx, event);
      await tx.insert(accounts).values({ id: 'acc-3', balance: 99 });
    });

    // Assert
    await expect(attempt).rejects.toThrow();
    expect(await service.db.select().from(outboxMessages).where(eq(outboxMessages.eventId, event.id))).toEqual([]);
  });

  it('when several events are added at once, then they get increasing positions in the order given', async () => {
    // Arrange
    const events = [numberedEvent(10), numberedEvent(11), numberedEvent(12)];

    // Act
    await service.db.transaction(async (tx) => {
      await addToOutbox(tx, events, { notify: false });
    });

    // Assert
    const rows = await service.db.select().from(outboxMessages).orderBy(outboxMessages.position);
    const ours = rows.filter((row) => events.some((event) => event.id === row.eventId));
    expect(ours.map((row) => row.eventId)).toEqual(events.map((event) => event.id));
  });

  it('when the same event is added twice, then the second write fails instead of publishing it twice', async () => {
    // Arrange
    const event = numberedEvent(20);
    await addToOutbox(service.db, event);

    // Act + Assert
    await expect(addToOutbox(service.db, event)).rejects.toThrow();
  });

  it('when given a drizzle database or transaction, then the fast path finds the postgres.js client behind it', async () => {
    // Arrange: without a driver, addToOutbox still works through drizzle, only slower; this notices a drizzle upgrade that hides it.
    let inTransaction: unknown;

    // Act
    await service.db.transaction(async (tx) => {
      inTransaction = driverOf(tx);
    });

    // Assert
    expect(driverOf(service.db)).toBe(service.client);
    expect(typeof inTransaction).toBe('function');
    expect(inTransaction).not.toBe(service.client);
  });
});
