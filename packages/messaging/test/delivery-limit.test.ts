import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { createEvent } from '@trendcast/events';
import { sampleEventData } from '@trendcast/events/samples';
import { uniqueName, waitFor } from '@trendcast/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consumerQueueName, EventPublisher, inspectDeadLetters, queueStats, replayDeadLetters, type RabbitConnection } from '../src/index.js';
import { openConnection, removeDeclaredAndClose } from './support.js';

const namespace = uniqueName('msgtest_crash');
const script = fileURLToPath(new URL('./fixtures/crashing-consumer.ts', import.meta.url));
let connection: RabbitConnection;
const queues: string[] = [];

beforeAll(async () => {
  connection = await openConnection('delivery-limit-test');
});

afterAll(async () => {
  await removeDeclaredAndClose(connection, namespace, { queues, producers: ['users'] });
});

interface Run {
  /** How the process ended: its exit code, or 'stopped' when the test stopped it itself. */
  ended: Promise<number | 'stopped'>;
  handled: string[];
  consuming: Promise<void>;
  stop(): void;
}

function runConsumer(service: string, deliveryLimit: number): Run {
  const child = spawn(process.execPath, ['--import', 'tsx', script, namespace, service, String(deliveryLimit)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const handled: string[] = [];
  let onConsuming!: () => void;
  const consuming = new Promise<void>((resolve) => (onConsuming = resolve));
  createInterface({ input: child.stdout! }).on('line', (line) => {
    const report = JSON.parse(line) as { consuming?: boolean; handled?: string };
    if (report.consuming) onConsuming();
    if (report.handled) handled.push(report.handled);
  });
  let stopped = false;
  const ended = new Promise<number | 'stopped'>((resolve) => child.once('exit', (code) => resolve(stopped ? 'stopped' : (code ?? -1))));
  return {
    ended,
    handled,
    consuming,
    stop: () => {
      stopped = true;
      child.kill('SIGKILL');
    },
  };
}

function registered(displayName: string) {
  return createEvent('users.user.registered', { ...sampleEventData['users.user.registered'], displayName }, { source: 'users', correlationId: displayName });
}

describe('a message that kills its consumer', () => {
  it('when the handler exits the process on every delivery, then the broker dead-letters the message after the delivery limit and the restarted service handles the next events', { timeout: 90_000 }, async () => {
    // Arrange
    const deliveryLimit = 2;
    const service = uniqueName('crashloop');
    const queue = consumerQueueName(service, 'users', namespace);
    queues.push(queue, `${queue}.dead-letter`, ...[1_000, 5_000, 30_000, 120_000].map((delay) => `${queue}.retry.${delay}ms`));
    const publisher = new EventPublisher(connection, { namespace });
    const poison = registered('poison');
    const healthy = registered('healthy');

    // Act: run the service, and start it again each time it dies, as an orchestrator would.
    const exits: Array<number | 'stopped'> = [];
    let run = runConsumer(service, deliveryLimit);
    await run.consuming;
    await publisher.publish(poison);
    await publisher.publish(healthy);
    for (let restarts = 0; restarts <= deliveryLimit + 3; restarts += 1) {
      const outcome = await Promise.race([run.ended, waitFor(() => run.handled.includes(healthy.id), { timeoutMs: 20_000, what: 'the healthy event' }).then(() => 'handled' as const)]);
      if (outcome === 'handled') break;
      exits.push(outcome);
      run = runConsumer(service, deliveryLimit);
    }
    run.stop();
    await run.ended;

    // Assert: deliveryLimit + 1 deliveries, each a crash, then the broker's dead letter; the next event flows.
    expect(exits).toEqual(Array.from({ length: deliveryLimit + 1 }, () => 70));
    expect(run.handled).toEqual([healthy.id]);
    const listing = await inspectDeadLetters(connection, queue);
    expect(listing.messages).toHaveLength(1);
    expect(listing.messages[0]).toMatchObject({ messageId: poison.id, reason: 'delivery-limit', originalQueue: queue, payload: poison });
    expect((await queueStats(connection, queue)).messageCount).toBe(0);

    // And an operator's replay (after a fix) puts it back into the queue as a first attempt.
    expect(await replayDeadLetters(connection, queue)).toEqual({ queue: `${queue}.dead-letter`, replayed: 1 });
    expect((await queueStats(connection, queue)).messageCount).toBe(1);
    await publisher.close();
  });
});
