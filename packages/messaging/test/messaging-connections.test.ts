import { rabbitUrlWithPort, sleep, startTcpProxy, testEnv, uniqueName, waitFor } from '@trendcast/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventConsumer, EventPublisher, openMessagingConnections, type RabbitConnection } from '../src/index.js';
import { openConnection, recordingLogger, removeDeclaredAndClose, sampleEvent, trackProcessFailures } from './support.js';

const namespace = uniqueName('msgtest_conns');
let admin: RabbitConnection;
const queues: string[] = [];

beforeAll(async () => {
  admin = await openConnection('connections-admin');
});

afterAll(async () => {
  await removeDeclaredAndClose(admin, namespace, { queues, producers: ['users'] });
});

/** The local port of a connection's socket: two connections have two. */
function localPort(connection: RabbitConnection): number | undefined {
  return (connection.current() as unknown as { connection: { stream: { localPort?: number } } } | undefined)?.connection.stream.localPort;
}

describe('a service’s publishing and consuming connections', () => {
  it('when a service opens its connections, then publishing and consuming run on two sockets, and retry copies go out on the publishing one', async () => {
    // Arrange
    const connections = openMessagingConnections({ url: testEnv.rabbitUrl, name: uniqueName('svc'), logger: recordingLogger() });
    await connections.start({ timeoutMs: 5_000 });
    const attempts: number[] = [];
    const consumer = new EventConsumer(connections.consuming, {
      service: uniqueName('twoconns'),
      namespace,
      logger: recordingLogger(),
      publishingConnection: connections.publishing,
      retryDelaysMs: [50],
    }).on('users.user.updated', async (_event, { attempt }) => {
      attempts.push(attempt);
      if (attempt === 1) throw new Error('try again');
    });
    queues.push(...consumer.queueNames());
    await consumer.start();
    const publisher = new EventPublisher(connections.publishing, { namespace });

    // Act
    await publisher.publish(sampleEvent('users.user.updated'));
    await waitFor(() => attempts.length === 2, { what: 'the retry' });

    // Assert
    expect(localPort(connections.publishing)).not.toBe(localPort(connections.consuming));
    expect(attempts).toEqual([1, 2]);
    await connections.checkReady();
    await consumer.stop();
    await publisher.close();
    await connections.close();
    await expect(connections.checkReady()).rejects.toThrow('is down');
  });

  it('when the broker is unreachable at shutdown, then consumer stop and connection close each finish within their own timeout', async () => {
    // Arrange
    const processFailures = trackProcessFailures();
    const proxy = await startTcpProxy(5672);
    const connections = openMessagingConnections({ url: rabbitUrlWithPort(proxy.port), name: uniqueName('outage'), logger: recordingLogger(), heartbeatSeconds: 60 });
    await connections.start();
    let release!: () => void;
    const consumer = new EventConsumer(connections.consuming, { service: uniqueName('outage'), namespace, logger: recordingLogger(), publishingConnection: connections.publishing }).on(
      'users.user.deleted',
      () => new Promise<void>((resolve) => (release = resolve)),
    );
    queues.push(...consumer.queueNames());
    await consumer.start();
    const publisher = new EventPublisher(connections.publishing, { namespace });
    await publisher.publish(sampleEvent('users.user.deleted'));
    await waitFor(() => release !== undefined, { what: 'the handler to start' });

    // Act: the broker vanishes without closing the sockets (the proxy stops forwarding), then shutdown.
    proxy.stall();
    proxy.pause();
    await sleep(50);
    const stopStartedAt = performance.now();
    await consumer.stop({ timeoutMs: 1_000 });
    const stopMs = performance.now() - stopStartedAt;
    const closeStartedAt = performance.now();
    await publisher.close();
    await connections.close({ timeoutMs: 1_000 });
    const closeMs = performance.now() - closeStartedAt;

    // Assert
    expect(stopMs).toBeLessThan(1_000 + 300);
    expect(closeMs).toBeLessThan(1_000 + 2_000 + 500);
    expect(processFailures.failures).toEqual([]);
    processFailures.dispose();
    release();
    await proxy.close();
  });
});
