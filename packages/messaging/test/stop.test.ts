import { uniqueName, waitFor, sleep } from '@trendcast/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventConsumer, EventPublisher, queueStats, type RabbitConnection } from '../src/index.js';
import { onlyQueue, openConnection, recordingLogger, recordingMetrics, removeDeclaredAndClose, sampleEvent } from './support.js';

const namespace = uniqueName('msgtest_stop');
let connection: RabbitConnection;
const queues: string[] = [];

beforeAll(async () => {
  connection = await openConnection('stop-test');
});

afterAll(async () => {
  await removeDeclaredAndClose(connection, namespace, { queues, producers: ['thinker'] });
});

describe('graceful stop', () => {
  it('when stop() is called during a handler, then it waits for the handler, acks its message and stops consuming', async () => {
    // Arrange
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    let started = 0;
    let finished = 0;
    const { metrics, recorded } = recordingMetrics();
    const consumer = new EventConsumer(connection, { service: uniqueName('stopping'), namespace, logger: recordingLogger(), metrics }).on(
      'thinker.drafts.generated',
      async () => {
        started += 1;
        await gate;
        finished += 1;
      },
    );
    queues.push(...consumer.queueNames());
    await consumer.start();
    const { queue } = onlyQueue(consumer);
    const publisher = new EventPublisher(connection, { namespace });
    await publisher.publish(sampleEvent('thinker.drafts.generated'));
    await waitFor(() => started === 1, { what: 'the handler to start' });

    // Act
    let stopped = false;
    const stopping = consumer.stop().then(() => (stopped = true));
    await sleep(200);
    const stoppedBeforeRelease = stopped;
    release();
    await stopping;

    // Assert
    expect(stoppedBeforeRelease).toBe(false);
    expect(finished).toBe(1);
    expect(recorded.consumed).toEqual([['thinker.drafts.generated', 'acked']]);
    // A quorum queue reports its consumers a moment after the cancel is confirmed.
    await waitFor(async () => (await queueStats(connection, queue)).consumerCount === 0, { what: 'the consumer to leave the queue' });
    expect((await queueStats(connection, queue)).messageCount).toBe(0);

    // Act: events published after the stop wait in the queue for the next start
    await publisher.publish(sampleEvent('thinker.drafts.generated'));

    // Assert
    await waitFor(async () => (await queueStats(connection, queue)).messageCount === 1, { what: 'the event to wait in the queue' });
    expect(started).toBe(1);
    await publisher.close();
  });
});
