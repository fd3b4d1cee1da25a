import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { silentLogger } from '@trendcast/core';
import amqp from 'amqplib';
import { decodeEvent, type AnyDomainEvent } from '@trendcast/events';
import { producerExchangeName, ensureProducerExchange } from '@trendcast/messaging';
import { createTestDatabase, testEnv, uniqueName, waitFor, type TestDatabase } from '@trendcast/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateDatabase } from '../src/db/migrate.js';
import { generateSigningKey } from '../src/security/signing-keys.js';
import { startHarness, strongPassword, uniqueEmail, type Harness } from './support/service.js';

const appDir = fileURLToPath(new URL('..', import.meta.url));

describe('the wiring of service.ts', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => h?.close());

  it('when RABBITMQ_NAMESPACE is set, then the relay publishes to <namespace>.users.events', async () => {
    const exchange = producerExchangeName('users', h.config.RABBITMQ_NAMESPACE);
    expect(exchange).toBe(`${h.config.RABBITMQ_NAMESPACE}.users.events`);
    const connection = await amqp.connect(testEnv.rabbitUrl);
    await ensureProducerExchange(connection, exchange, silentLogger);
    const channel = await connection.createChannel();
    const { queue } = await channel.assertQueue('', { exclusive: true, autoDelete: true });
    await channel.bindQueue(queue, exchange, 'users.user.registered');
    const received: AnyDomainEvent[] = [];
    await channel.consume(queue, (message) => message && received.push(decodeEvent(message.content)), { noAck: true });
    const email = uniqueEmail('namespaced');

    await h.app.inject({ method: 'POST', url: '/users/register', payload: { email, password: strongPassword, displayName: 'N' } });

    const event = await waitFor(() => received.find((e) => e.type === 'users.user.registered'), { what: 'the event on the namespaced exchange' });
    expect(event.data).toMatchObject({ email });
    await connection.close();
  });

  it('when /readyz is asked, then PostgreSQL and RabbitMQ are both checked and reachable', async () => {
    await waitFor(async () => (await h.app.inject({ method: 'GET', url: '/readyz' })).statusCode === 200, { what: 'ready' });

    const ready = await h.app.inject({ method: 'GET', url: '/readyz' });

    expect(ready.json()).toEqual({ status: 'ready', checks: { postgres: 'ok', rabbitmq: 'ok' } });
  });
});

describe('main.ts', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase('users_main');
    await migrateDatabase(database.url);
  });
  afterAll(async () => database?.drop());

  /** The real entry point as a process; resolves with its exit code and the log lines it wrote. */
  async function runMainUntilStarted(env: Record<string, string>) {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: appDir,
      env: {
        ...process.env,
        NODE_ENV: 'test',
        PORT: '0',
        DATABASE_URL: database.url,
        RABBITMQ_URL: testEnv.rabbitUrl,
        RABBITMQ_NAMESPACE: uniqueName('users_main'),
        JWT_SIGNING_KEYS: JSON.stringify([generateSigningKey('main-test').jwk]),
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const lines = () =>
      output
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as { msg: string; exitCode?: number });
    await waitFor(() => lines().some((line) => line.msg === 'service started'), { timeoutMs: 20_000, what: `main.ts to start (${output})` });
    child.kill('SIGTERM');
    const [code] = await once(child, 'exit');
    return { code: code as number, lines: lines() };
  }

  it('when SIGTERM arrives, then every step stops in order and it exits 0', async () => {
    const { code, lines } = await runMainUntilStarted({});

    expect(code).toBe(0);
    const stopped = lines.filter((line) => line.msg.startsWith('stopped ')).map((line) => line.msg);
    expect(stopped).toEqual(['stopped http', 'stopped email link worker', 'stopped token cleanup', 'stopped outbox relay', 'stopped rabbitmq', 'stopped postgres']);
  });

  it('when SHUTDOWN_TIMEOUT_MS is too short for the stops, then shutdown gives up at that limit and exits 1', async () => {
    const { code, lines } = await runMainUntilStarted({ SHUTDOWN_TIMEOUT_MS: '1' });

    expect(code).toBe(1);
    expect(lines.some((line) => line.msg.startsWith('shutdown timed out while stopping'))).toBe(true);
  });
});
