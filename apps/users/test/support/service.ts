import { asc, eq } from 'drizzle-orm';
import { deleteExchanges, producerExchangeName, RabbitConnection, silentLogger } from '@trendcast/messaging';
import type { ServiceApp } from '@trendcast/service-kit';
import { createTestDatabase, testEnv, uniqueName, waitFor, type TestDatabase } from '@trendcast/testing';
import { loadUsersConfig, type UsersConfig } from '../../src/config.js';
import type { DatabaseClient } from '../../src/db/client.js';
import { migrateDatabase } from '../../src/db/migrate.js';
import { outboxMessages } from '../../src/db/schema.js';
import { generateSigningKey, SigningKeyRing } from '../../src/security/signing-keys.js';
import { createUsersService, type UsersService, type UsersServiceOverrides } from '../../src/service.js';
import type { UsersDeps } from '../../src/use-cases/deps.js';
import { drainEmailLinkRequests } from '../../src/workers/email-link-worker.js';

export interface Harness {
  service: UsersService;
  app: ServiceApp;
  deps: UsersDeps;
  config: UsersConfig;
  keys: SigningKeyRing;
  client: DatabaseClient;
  database: TestDatabase;
  /** "Send me a link" requests are answered by a worker: these make its effect visible to a test. */
  emailLinks: {
    /** Handles every waiting request now. */
    drain(): Promise<number>;
    /** Drains, then reads the token of the newest link of `type` sent to `email`. */
    latest(type: LinkEventType, email: string): Promise<string>;
  };
  close(): Promise<void>;
}

type LinkEventType = 'users.email_verification.requested' | 'users.password_reset.requested';

export interface HarnessOptions extends Omit<UsersServiceOverrides, 'logger'> {
  env?: Record<string, string>;
}

/**
 * The users service as main.ts wires it (service.ts), started on a fresh, migrated database of its
 * own, the real RabbitMQ under an exchange namespace of its own, and an in-memory signing key.
 * It does not listen: tests call app.inject().
 */
export async function startHarness(o: HarnessOptions = {}): Promise<Harness> {
  const { env, ...overrides } = o;
  const database = await createTestDatabase('users');
  await migrateDatabase(database.url);
  const config = loadUsersConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATABASE_URL: database.url,
    DATABASE_POOL_MAX: '5',
    RABBITMQ_URL: testEnv.rabbitUrl,
    RABBITMQ_NAMESPACE: uniqueName('users'),
    PUBLIC_BASE_URL: 'https://app.trendcast.test',
    ...env,
  });
  const service = await createUsersService(config, {
    keys: new SigningKeyRing([generateSigningKey('test-key-1').key]),
    // Tests drain the requests themselves; the worker still wakes on each request's notification.
    emailLinkWorker: { pollIntervalMs: 60_000 },
    ...overrides,
  });
  await service.start();
  const h: Harness = {
    service,
    app: service.app,
    deps: service.deps,
    config,
    keys: service.keys,
    client: service.database,
    database,
    emailLinks: {
      drain: () => drainAll(service),
      latest: (type, email) => latestLinkToken(h, type, email),
    },
    async close() {
      await service.stop();
      await database.drop();
      if (config.RABBITMQ_NAMESPACE) await removeExchange(config.RABBITMQ_NAMESPACE);
    },
  };
  return h;
}

/**
 * Answers every due request now; one the service's own worker already holds is waited for, so
 * the link it sends is in the outbox when this returns.
 */
async function drainAll(service: UsersService): Promise<number> {
  const handled = await drainEmailLinkRequests(service.deps);
  await waitFor(
    async () => (await service.database.sql`select 1 from email_link_requests where available_at <= now() limit 1`).length === 0,
    { what: 'the email-link worker to finish the request in hand' },
  );
  return handled;
}

/** The namespaced users.events exchange the service's relay declared. */
async function removeExchange(namespace: string): Promise<void> {
  const rabbit = new RabbitConnection({ url: testEnv.rabbitUrl, name: 'users-test-cleanup', logger: silentLogger });
  await rabbit.start();
  try {
    await deleteExchanges(rabbit, [producerExchangeName('users', namespace)]);
  } finally {
    await rabbit.close();
  }
}

let counter = 0;
export function uniqueEmail(prefix = 'user'): string {
  counter += 1;
  return `${prefix}.${process.pid}.${counter}@example.org`;
}

export const strongPassword = 'correct horse battery staple';

export async function outboxRows(h: Harness) {
  await h.emailLinks.drain();
  return h.client.db.select().from(outboxMessages).orderBy(asc(outboxMessages.position));
}

export async function outboxEventsOfType(h: Harness, type: string) {
  await h.emailLinks.drain();
  const rows = await h.client.db.select().from(outboxMessages).where(eq(outboxMessages.type, type)).orderBy(asc(outboxMessages.position));
  return rows.map((row) => row.payload as { id: string; type: string; data: Record<string, unknown>; correlationId: string });
}

/** The token in the newest link of `type` sent to `email`, read from the event the notifier would mail. */
export async function latestLinkToken(
  h: Harness,
  type: LinkEventType,
  email: string,
): Promise<string> {
  const events = (await outboxEventsOfType(h, type)).filter((event) => event.data.email === email);
  const last = events.at(-1);
  if (!last) throw new Error(`no ${type} event for ${email}`);
  const url = new URL(String(last.data.verifyUrl ?? last.data.resetUrl));
  return url.searchParams.get('token')!;
}

export async function register(h: Harness, email = uniqueEmail(), password = strongPassword, displayName = 'Ann Example') {
  const response = await h.app.inject({ method: 'POST', url: '/users/register', payload: { email, password, displayName } });
  if (response.statusCode !== 201) throw new Error(`register failed: ${response.statusCode} ${response.body}`);
  return { email, password, user: response.json() as { id: string; email: string } };
}

/** A registered account whose email has been verified through the real link. */
export async function verifiedUser(h: Harness, email = uniqueEmail(), password = strongPassword) {
  const registered = await register(h, email, password);
  const token = await latestLinkToken(h, 'users.email_verification.requested', email);
  const response = await h.app.inject({ method: 'POST', url: '/users/verify-email', payload: { token } });
  if (response.statusCode !== 204) throw new Error(`verify failed: ${response.statusCode} ${response.body}`);
  return registered;
}

export interface Tokens {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
}

export async function loginAs(h: Harness, email: string, password = strongPassword, ip?: string): Promise<Tokens> {
  const response = await h.app.inject({
    method: 'POST',
    url: '/users/login',
    payload: { email, password },
    ...(ip ? { remoteAddress: ip } : {}),
  });
  if (response.statusCode !== 200) throw new Error(`login failed: ${response.statusCode} ${response.body}`);
  return response.json() as Tokens;
}

export async function signedInUser(h: Harness, email = uniqueEmail()) {
  const user = await verifiedUser(h, email);
  return { ...user, tokens: await loginAs(h, email) };
}

export function bearer(token: string) {
  return { authorization: `Bearer ${token}` };
}
