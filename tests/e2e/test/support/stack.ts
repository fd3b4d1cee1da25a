import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { consumerQueueName, consumerTopologyQueues, defaultRetryDelaysMs, producerExchangeName, unroutedExchangeName, unroutedQueueName } from '@trendcast/messaging';
import { createTestDatabase, testEnv, uniqueName, type TestDatabase } from '@trendcast/testing';
import amqp from 'amqplib';
import { Redis } from 'ioredis';
import { startGateway } from './gateway.js';
import { startMailCatcher, type MailCatcher } from './mail-catcher.js';
import { freePort, runToEnd, startProcess, waitUntilReady, type RunningProcess } from './processes.js';
import { repoRoot } from './repo.js';
import { serviceDefinitions, type ServiceDefinition, type ServiceName, type StackContext } from './services.js';

export interface Stack {
  /** The gateway, as a browser or an API client reaches the system: http://127.0.0.1:<port>. */
  baseUrl: string;
  mail: MailCatcher;
  namespace: string;
  /** The fake Mastodon instance's origin (http://127.0.0.1:<port>). */
  mastodonOrigin: string;
  /** Each SQL service's database of this run, to count what is left of a user. */
  databaseUrls: Partial<Record<ServiceName, string>>;
  /** Where every process writes its log (kept after the run, git-ignored). */
  logDir: string;
  /** The last lines of every process's log, for a failure message. */
  logs(): string;
  stop(): Promise<void>;
}

export interface StackOptions {
  services?: ServiceDefinition[];
}

const producers: ServiceName[] = ['users', 'trends', 'thinker', 'tweeter'];

/**
 * The whole system on this machine, isolated from every other run on the shared servers: a database
 * per SQL service (createTestDatabase), its own RabbitMQ namespace and Redis prefixes, free ports;
 * the fake Google Trends (trends' recordings), a real SMTP catcher and NGINX from the gateway
 * template serving apps/web/dist. Each service runs from its own code, as `npm run start:local` runs it.
 */
export async function startStack(o: StackOptions = {}): Promise<Stack> {
  const services = o.services ?? [serviceDefinitions.users, serviceDefinitions.trends, serviceDefinitions.notifier];
  const namespace = uniqueName('e2e');
  const logDir = join(repoRoot, 'tests/e2e/.local/logs', namespace);
  mkdirSync(logDir, { recursive: true });
  const workDir = mkdtempSync(join(tmpdir(), 'trendcast-e2e-'));
  const processes: RunningProcess[] = [];
  const databases = new Map<ServiceName, TestDatabase>();
  let mail: MailCatcher | undefined;

  const stop = async () => {
    for (const running of [...processes].reverse()) await running.stop();
    await mail?.close();
    for (const database of databases.values()) await database.drop();
    await removeRedisKeys([`${namespace}_bull`, `${namespace}:`]);
    await removeRabbitTopology(namespace, services);
    rmSync(workDir, { recursive: true, force: true });
  };

  try {
    mail = await startMailCatcher();
    const googlePort = await freePort();
    const google = startProcess({
      name: 'fake-google',
      command: 'tsx',
      args: ['test/fake-google/main.ts'],
      cwd: join(repoRoot, 'apps/trends'),
      env: { PORT: String(googlePort) },
      logDir,
    });
    processes.push(google);
    const mastodonPort = await freePort();
    const mastodon = startProcess({
      name: 'fake-mastodon',
      command: 'tsx',
      args: ['src/mastodon/main.ts', '--port', String(mastodonPort), '--username', 'ada'],
      cwd: join(repoRoot, 'packages/fakes'),
      env: {},
      logDir,
    });
    processes.push(mastodon);

    const ports = Object.fromEntries(await Promise.all([...producers, 'notifier', 'monitor'].map(async (name) => [name, await freePort()]))) as Record<ServiceName, number>;
    const gatewayPort = await freePort();
    for (const service of services.filter((s) => s.database)) databases.set(service.name, await createTestDatabase(`e2e_${service.name}`));
    const ctx: StackContext = {
      namespace,
      gatewayUrl: `http://127.0.0.1:${gatewayPort}`,
      redisUrl: testEnv.redisUrl,
      rabbitUrl: testEnv.rabbitUrl,
      ports,
      databaseUrl: (name) => {
        const database = databases.get(name);
        if (!database) throw new Error(`${name} has no database in this stack`);
        return database.url;
      },
      smtpUrl: mail.url,
      googleOrigin: `http://127.0.0.1:${googlePort}`,
      mastodonOrigin: `http://127.0.0.1:${mastodonPort}`,
      keysDir: join(workDir, 'keys'),
      credentialsKey: randomBytes(32).toString('base64'),
    };

    // Google's 404 page is still an answer: the fake is listening.
    await waitUntilReady(`${ctx.googleOrigin}/`, google, 30_000, { anyStatus: true });
    await waitUntilReady(`${ctx.mastodonOrigin}/api/v2/instance`, mastodon, 30_000);
    for (const service of services) {
      const cwd = join(repoRoot, 'apps', service.name);
      const env = service.env(ctx);
      if (service.database) await runToEnd({ name: `${service.name}-migrate`, command: 'tsx', args: ['src/db/migrate.ts'], cwd, env, logDir });
      const running = startProcess({ name: service.name, command: 'tsx', args: ['src/main.ts'], cwd, env, logDir });
      processes.push(running);
    }
    // Started together, then awaited: each is ready when its database, Redis and RabbitMQ answer.
    for (const service of services) {
      await waitUntilReady(`http://127.0.0.1:${ports[service.name]}/readyz`, processes.find((p) => p.name === service.name)!, 90_000);
    }
    const publicServices = services.filter((service) => service.public);
    processes.push(
      await startGateway({
        port: gatewayPort,
        dir: join(workDir, 'gateway'),
        services: publicServices.map((service) => service.name),
        upstreams: Object.fromEntries(publicServices.map((service) => [service.name, ports[service.name]])),
        webRoot: join(repoRoot, 'apps/web/dist'),
      }),
    );

    return {
      baseUrl: ctx.gatewayUrl,
      mail,
      namespace,
      mastodonOrigin: ctx.mastodonOrigin,
      databaseUrls: Object.fromEntries([...databases].map(([name, database]) => [name, database.url])),
      logDir,
      logs: () => processes.map((p) => `--- ${p.name} (${p.logFile}) ---\n${p.log().split('\n').slice(-25).join('\n')}`).join('\n'),
      stop,
    };
  } catch (error) {
    await stop().catch(() => undefined);
    throw error;
  }
}

async function removeRedisKeys(prefixes: string[]): Promise<void> {
  const redis = new Redis(testEnv.redisUrl);
  try {
    for (const prefix of prefixes) {
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
        if (keys.length > 0) await redis.del(...keys);
        cursor = next;
      } while (cursor !== '0');
    }
  } finally {
    redis.disconnect();
  }
}

/** Only what this run declared: its namespaced consumer queues (with retry and dead-letter queues), exchanges and unrouted parking. */
async function removeRabbitTopology(namespace: string, services: ServiceDefinition[]): Promise<void> {
  const connection = await amqp.connect(testEnv.rabbitUrl);
  try {
    const channel = await connection.createChannel();
    for (const service of services) {
      for (const producer of service.consumes) {
        for (const queue of consumerTopologyQueues(consumerQueueName(service.name, producer, namespace), defaultRetryDelaysMs)) await channel.deleteQueue(queue);
      }
    }
    for (const producer of producers) {
      const exchange = producerExchangeName(producer, namespace);
      await channel.deleteExchange(exchange);
      // The backbone parks events nobody is bound for behind each producer exchange.
      await channel.deleteExchange(unroutedExchangeName(exchange));
      await channel.deleteQueue(unroutedQueueName(exchange));
    }
  } finally {
    await connection.close();
  }
}
