import { asc, eq } from 'drizzle-orm';
import { createLogger, createMetrics, type ServiceApp } from '@trendcast/service-kit';
import { createTestDatabase, type TestDatabase } from '@trendcast/testing';
import { buildUsersApp } from '../../src/app.js';
import { createUsersContext } from '../../src/compose.js';
import { loadUsersConfig, type UsersConfig } from '../../src/config.js';
import { createDatabaseClient, type DatabaseClient } from '../../src/db/client.js';
import { migrateDatabase } from '../../src/db/migrate.js';
import { outboxMessages } from '../../src/db/schema.js';
import { generateSigningKey, SigningKeyRing } from '../../src/security/signing-keys.js';
import type { RecordEvents, UsersContext } from '../../src/use-cases/context.js';
import { drainEmailLinkRequests } from '../../src/workers/email-link-worker.js';

export interface Harness {
  app: ServiceApp;
  ctx: UsersContext;
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

export interface HarnessOptions {
  env?: Record<string, string>;
  recordEvents?: RecordEvents;
  keys?: SigningKeyRing;
}

/** The users app on a fresh, migrated database of its own, with an in-memory signing key. */
export async function startHarness(o: HarnessOptions = {}): Promise<Harness> {
  const database = await createTestDatabase('users');
  await migrateDatabase(database.url);
  const config = loadUsersConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATABASE_URL: database.url,
    PUBLIC_BASE_URL: 'https://app.trendcast.test',
    ...o.env,
  });
  const client = createDatabaseClient(database.url, { max: 5 });
  const keys = o.keys ?? new SigningKeyRing([generateSigningKey('test-key-1').key]);
  const logger = createLogger({ service: 'users', level: config.LOG_LEVEL });
  const ctx = createUsersContext(config, {
    db: client.db,
    keys,
    logger,
    ...(o.recordEvents ? { recordEvents: o.recordEvents } : {}),
  });
  const app = await buildUsersApp({
    config,
    ctx,
    keys,
    logger,
    metrics: createMetrics('users', { defaultMetrics: false }),
    readiness: { postgres: () => client.sql`select 1` },
  });
  await app.ready();
  const drain = () => drainEmailLinkRequests(ctx, logger);
  const h: Harness = {
    app,
    ctx,
    config,
    keys,
    client,
    database,
    emailLinks: { drain, latest: (type, email) => latestLinkToken(h, type, email) },
    async close() {
      await app.close();
      await client.close();
      await database.drop();
    },
  };
  return h;
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
