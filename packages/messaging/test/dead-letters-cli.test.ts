import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { uniqueName } from '@trendcast/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventPublisher, producerExchangeName, unroutedQueueName, type RabbitConnection } from '../src/index.js';
import { openConnection, removeDeclaredAndClose, sampleEvent } from './support.js';

const run = promisify(execFile);
const cli = fileURLToPath(new URL('../src/cli/dead-letters.ts', import.meta.url));
const namespace = uniqueName('msgtest_cli');
let connection: RabbitConnection;

beforeAll(async () => {
  connection = await openConnection('dead-letters-cli-test');
});

afterAll(async () => {
  await removeDeclaredAndClose(connection, namespace, { queues: [], producers: ['tweeter'] });
});

async function deadLetters(...args: string[]): Promise<unknown> {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', cli, ...args]);
  return JSON.parse(stdout);
}

describe('dead-letters CLI', () => {
  it('when an event was published with nobody bound, then queues counts it, list shows it, and replay publishes it again', async () => {
    // Arrange
    const publisher = new EventPublisher(connection, { namespace });
    const event = sampleEvent('tweeter.post.failed');
    await publisher.publish(event);
    await publisher.close();
    const exchange = producerExchangeName('tweeter', namespace);

    // Act
    const queues = await deadLetters('queues', '--producers', 'tweeter', '--namespace', namespace);
    const listed = (await deadLetters('list', exchange)) as { count: number; messages: Array<{ messageId: string; originalRoutingKey: string }> };
    const replayed = await deadLetters('replay', exchange, '--message-id', event.id);

    // Assert
    expect(queues).toEqual([{ queue: unroutedQueueName(exchange), kind: 'unrouted', messageCount: 1 }]);
    expect(listed.count).toBe(1);
    expect(listed.messages[0]).toMatchObject({ messageId: event.id, originalRoutingKey: event.type });
    expect(replayed).toEqual({ queue: unroutedQueueName(exchange), kind: 'unrouted', replayed: 1 });
  });
});
