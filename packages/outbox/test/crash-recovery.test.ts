import { testEnv, uniqueName, waitFor } from '@trendcast/testing';
import { eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { handleOnce, outboxMessages, OutboxRelay } from '../src/index.js';
import { accounts } from './fixtures/service/schema.js';
import { startRelayProcess, type RelayProcess } from './support/child-process.js';
import { createServiceDatabase, type ServiceDatabase } from './support/database.js';
import { recordingLogger } from './support/logger.js';
import { collectFrom, ConfirmingSink, deleteExchange } from './support/rabbit.js';

let service: ServiceDatabase;
let exchange: string;
let sink: ConfirmingSink;
let child: RelayProcess | undefined;
let relay: OutboxRelay | undefined;

beforeAll(async () => {
  service = await createServiceDatabase('outbox_crash');
  exchange = uniqueName('outbox_crash');
  sink = await ConfirmingSink.open(exchange);
});

afterEach(async () => {
  await child?.kill();
  await relay?.stop();
  child = undefined;
  relay = undefined;
});

afterAll(async () => {
  await sink?.close();
  await deleteExchange(exchange);
  await service?.close();
});

async function rowOf(eventId: string) {
  const [row] = await service.db.select().from(outboxMessages).where(eq(outboxMessages.eventId, eventId));
  return row;
}

describe('crash recovery', () => {
  it('when a process is killed between commit and publish, then a relay started afterwards still gets its event out', async () => {
    // Arrange: the process commits and dies before any relay of it runs.
    const collector = await collectFrom(exchange);
    child = startRelayProcess([service.database.url, 'no-relay']);
    const { eventId } = await child.until('committed');
    await child.kill();
    expect((await rowOf(eventId!))?.sentAt).toBeNull();

    // Act
    relay = new OutboxRelay({ db: service.db, sql: service.client, sink, logger: recordingLogger() });
    await relay.start();

    // Assert
    await waitFor(() => collector.received.some((event) => event.id === eventId), { what: 'the event to arrive' });
    await waitFor(async () => (await rowOf(eventId!))?.sentAt, { what: 'the row marked sent' });
    await collector.close();
  });

  it('when a relay is killed while publishing (holding the lock and the rows), then a new relay takes over and delivers', async () => {
    // Arrange: the child's relay locks the batch and waits forever for a confirm.
    const collector = await collectFrom(exchange);
    child = startRelayProcess([service.database.url, 'hang-publish']);
    const { eventId } = await child.until('publishing');
    const standby = new OutboxRelay({ db: service.db, sink, logger: recordingLogger(), pollIntervalMs: 50 });
    await standby.start();
    relay = standby;

    // Act: while the child lives, the standby cannot publish; then the child dies.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const deliveredWhileLocked = collector.received.some((event) => event.id === eventId);
    await child.kill();

    // Assert
    expect(deliveredWhileLocked).toBe(false);
    await waitFor(() => collector.received.some((event) => event.id === eventId), { what: 'the event to arrive after takeover' });
    await waitFor(async () => (await rowOf(eventId!))?.sentAt, { what: 'the row marked sent' });
    await collector.close();
  });

  it('when a relay dies after the confirm but before marking sent, then the event goes out again and the inbox applies it once', async () => {
    // Arrange: a consumer whose effect goes through the inbox.
    const effects: string[] = [];
    const collector = await collectFrom(exchange, async (event) => {
      await handleOnce(service.db, 'crash-test-consumer', event, async (tx) => {
        await tx.update(accounts).set({ balance: 2 }).where(eq(accounts.id, `acc-${event.id}`));
        effects.push(event.id);
      });
    });
    child = startRelayProcess([service.database.url, 'hang-after-confirm', testEnv.rabbitUrl, exchange]);
    const { eventId } = await child.until('confirmed');
    await child.kill();
    expect((await rowOf(eventId!))?.sentAt).toBeNull();

    // Act
    relay = new OutboxRelay({ db: service.db, sql: service.client, sink, logger: recordingLogger() });
    await relay.start();

    // Assert: delivered twice (at least once), applied once.
    await waitFor(() => collector.received.filter((event) => event.id === eventId).length === 2, { what: 'the redelivery' });
    await waitFor(async () => (await rowOf(eventId!))?.sentAt, { what: 'the row marked sent' });
    expect(effects.filter((id) => id === eventId)).toHaveLength(1);
    const [account] = await service.db.select().from(accounts).where(eq(accounts.id, `acc-${eventId}`));
    expect(account?.balance).toBe(2);
    await collector.close();
  });
});
