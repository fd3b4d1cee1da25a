import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { deleteExchanges, deleteQueues, EventPublisher, exchangeForType, RabbitConnection, silentLogger } from '@trendcast/messaging';
import { rabbitUrlWithPort, startTcpProxy, testEnv, uniqueName, waitFor, type TcpProxy } from '@trendcast/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addToOutbox } from '../src/index.js';
import { createServiceDatabase, type ServiceDatabase } from './support/database.js';
import { numberedEvent } from './support/events.js';

const script = fileURLToPath(new URL('./fixtures/shutdown-service.ts', import.meta.url));
const namespace = uniqueName('outbox_shutdown');
let service: ServiceDatabase;
let proxy: TcpProxy;
let admin: RabbitConnection;

beforeAll(async () => {
  service = await createServiceDatabase('outbox_shutdown');
  proxy = await startTcpProxy(5672);
  admin = new RabbitConnection({ url: testEnv.rabbitUrl, name: 'outbox-shutdown-admin', logger: silentLogger });
  await admin.start();
});

afterAll(async () => {
  const queues = ['', '.retry.1000ms', '.retry.5000ms', '.retry.30000ms', '.retry.120000ms', '.dead-letter'].map((suffix) => `${namespace}.shutdown.trends-events${suffix}`);
  await deleteQueues(admin, queues).catch(() => {});
  await deleteExchanges(admin, [exchangeForType('trends.search.failed', namespace)]).catch(() => {});
  await admin?.close();
  await proxy?.close();
  await service?.close();
});

describe('shutdown during a broker outage', () => {
  it('when SIGTERM arrives while the broker is unreachable, then every step ends within its own timeout, the database is closed and the process exits 0', { timeout: 60_000 }, async () => {
    // Arrange: a running service with a handler in flight
    const shutdownTimeoutMs = 10_000;
    const child = spawn(process.execPath, ['--import', 'tsx', script, service.database.url, rabbitUrlWithPort(proxy.port), namespace, String(shutdownTimeoutMs)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const logs: Array<{ msg?: string; stop?: string; exitCode?: number }> = [];
    createInterface({ input: child.stdout! }).on('line', (text) => logs.push(JSON.parse(text) as (typeof logs)[number]));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    await waitFor(() => logs.some((entry) => entry.msg === 'ready'), { what: 'the service to start', timeoutMs: 20_000 });
    const publisher = new EventPublisher(admin, { namespace });
    await publisher.publish(numberedEvent(1));
    await publisher.close();
    await waitFor(() => logs.some((entry) => entry.msg === 'handler started'), { what: 'the handler to start' });

    // Act: the broker stops answering (sockets stay open, nothing gets through), work is pending, then SIGTERM.
    proxy.stall();
    proxy.pause();
    await addToOutbox(service.db, [numberedEvent(2), numberedEvent(3)]);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const signalledAt = performance.now();
    child.kill('SIGTERM');
    const code = await exited;
    const tookMs = performance.now() - signalledAt;

    // Assert
    expect(code).toBe(0);
    // The steps' own timeouts add up to 8.5 s at most; the process ends inside the 10 s budget.
    expect(tookMs).toBeLessThan(shutdownTimeoutMs);
    const stopped = logs.filter((entry) => entry.msg?.startsWith('stopped ')).map((entry) => entry.stop);
    expect(stopped).toEqual(['event consumer', 'inbox pruner', 'outbox relay', 'publisher', 'rabbitmq', 'postgres']);
    expect(logs.find((entry) => entry.msg === 'shutdown complete')).toMatchObject({ exitCode: 0 });
    proxy.unstall();
    proxy.resume();
  });
});
