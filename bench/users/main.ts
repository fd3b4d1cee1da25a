/**
 * Users bench: authenticated GET /users/me beside a fastify hello-world (same machine, same run,
 * same load settings), with the verified-token cache and without it, then sign-ins per second (bounded by argon2id's cost), then the latency of
 * a wrong password next to an unknown email. Starts the service in-process on a database of its
 * own and drops it at the end.
 *   npm run bench:users [-- --duration 8 --connections 50 --workers 1]
 */
import os from 'node:os';
import { parseArgs } from 'node:util';
import Fastify from 'fastify';
import postgres from 'postgres';
import { createTestDatabase, uniqueName } from '@trendcast/testing';
import { createUsersService, generateSigningKey, loadUsersConfig, migrateDatabase, SigningKeyRing } from '../../apps/users/src/index.js';
import { compareFailedLogins } from './login-timing.js';
import { runLoad, type LoadResult } from './load.js';

const { values: flags } = parseArgs({
  options: {
    duration: { type: 'string', default: '8' },
    connections: { type: 'string', default: '50' },
    'login-connections': { type: 'string', default: '8' },
    workers: { type: 'string', default: '1' },
    samples: { type: 'string', default: '30' },
  },
});
const durationSeconds = Number(flags.duration);
const connections = Number(flags.connections);
const workers = Number(flags.workers);

// However a phase misbehaves, the run ends and cleans up.
const hardLimitMs = (durationSeconds * 4 + 90) * 1000;
const cleanups: Array<() => Promise<unknown>> = [];
const cleanup = async () => {
  for (const step of cleanups.reverse().splice(0)) await step().catch((e: unknown) => console.error(`cleanup failed: ${String(e)}`));
};
const watchdog = setTimeout(() => {
  console.error(`bench exceeded ${hardLimitMs} ms: aborting`);
  void cleanup().finally(() => process.exit(1));
}, hardLimitMs);
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void cleanup().finally(() => process.exit(130)));

const row = (name: string, r: LoadResult) =>
  `${name.padEnd(34)} ${r.requestsPerSecond.toFixed(0).padStart(8)} req/s   p50 ${String(r.p50Ms).padStart(4)} ms   p99 ${String(r.p99Ms).padStart(4)} ms   ` +
  `${r.total} requests, ${r.non2xx} non-2xx, ${r.errors} errors`;

const loadAverage = () => os.loadavg().map((l) => l.toFixed(2)).join(' ');
console.log(
  `users bench: ${durationSeconds}s per phase, ${connections} connections, ${workers} load thread(s); ` +
    `${os.cpus().length} cpus, node ${process.version}, load average ${loadAverage()}`,
);

try {
  const database = await createTestDatabase('bench_users');
  cleanups.push(() => database.drop());
  await migrateDatabase(database.url);

  const config = loadUsersConfig({
    LOG_LEVEL: 'silent',
    DATABASE_URL: database.url,
    // The bench signs in from one address on purpose; only failures count, and they are few.
    LOGIN_MAX_FAILURES_PER_ACCOUNT: '1000000',
    LOGIN_MAX_FAILURES_PER_IP: '1000000',
  });
  const keys = new SigningKeyRing([generateSigningKey('bench').key]);
  // The service as deployed (service.ts, listening on a free port), and a twin that checks the
  // token's signature on every request. Their outbox relays publish under a namespace of their own.
  const startUsers = async (tokenCacheSize?: number) => {
    const service = await createUsersService(
      { ...config, PORT: 0, RABBITMQ_NAMESPACE: uniqueName('bench_users') },
      { keys, ...(tokenCacheSize !== undefined ? { tokenCacheSize } : {}) },
    );
    await service.start({ listen: true });
    cleanups.push(() => service.stop());
    return `http://127.0.0.1:${(service.app.server.address() as { port: number }).port}`;
  };
  const usersUrl = await startUsers();
  const uncachedUrl = await startUsers(0);

  const hello = Fastify({ logger: false });
  hello.get('/', async () => ({ hello: 'world' }));
  await hello.listen({ host: '127.0.0.1', port: 0 });
  cleanups.push(() => hello.close());
  const helloUrl = `http://127.0.0.1:${(hello.server.address() as { port: number }).port}/`;

  // A verified account, signed in once for its access token.
  const email = 'bench@example.org';
  const password = 'correct horse battery staple';
  const registered = await fetch(`${usersUrl}/users/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password, displayName: 'Bench' }),
  });
  if (registered.status !== 201) throw new Error(`register answered ${registered.status}`);
  const sql = postgres(database.url, { max: 1 });
  await sql`update users set email_verified_at = now() where email = ${email}`;
  await sql.end();
  const login = await fetch(`${usersUrl}/users/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  const { accessToken } = (await login.json()) as { accessToken: string };
  const authorization = `Bearer ${accessToken}`;

  // Warm both servers up (JIT, connection pools) before measuring.
  await runLoad({ url: helloUrl, connections, durationSeconds: 2, workers });
  await runLoad({ url: `${usersUrl}/users/me`, connections, durationSeconds: 2, workers, headers: { authorization } });
  await runLoad({ url: `${uncachedUrl}/users/me`, connections, durationSeconds: 2, workers, headers: { authorization } });

  const helloResult = await runLoad({ url: helloUrl, connections, durationSeconds, workers });
  const meResult = await runLoad({ url: `${usersUrl}/users/me`, connections, durationSeconds, workers, headers: { authorization } });
  const meUncachedResult = await runLoad({ url: `${uncachedUrl}/users/me`, connections, durationSeconds, workers, headers: { authorization } });
  const loginResult = await runLoad({
    url: `${usersUrl}/users/login`,
    method: 'POST',
    connections: Number(flags['login-connections']),
    durationSeconds,
    workers,
    body: JSON.stringify({ email, password }),
  });
  const timing = await compareFailedLogins(usersUrl, email, Number(flags.samples));

  console.log('');
  console.log(row(`fastify hello-world (c=${connections})`, helloResult));
  console.log(row(`GET /users/me (c=${connections})`, meResult));
  console.log(row(`GET /users/me, verify every time`, meUncachedResult));
  const share = (r: LoadResult) => `${((r.requestsPerSecond / helloResult.requestsPerSecond) * 100).toFixed(0)}%`;
  console.log(
    `  /users/me reaches ${share(meResult)} of hello-world (${share(meUncachedResult)} when every request checks the EdDSA signature; ` +
      'each request also reads the account from PostgreSQL)',
  );
  console.log(row(`POST /users/login (c=${flags['login-connections']})`, loginResult));
  console.log('  sign-ins are bounded by argon2id (m=19456 KiB, t=2, p=1) on the libuv thread pool');
  console.log(
    `failed sign-in latency, ${timing.samples} each, interleaved: wrong password median ${timing.wrongPassword.medianMs.toFixed(1)} ms ` +
      `(p90 ${timing.wrongPassword.p90Ms.toFixed(1)}), unknown email median ${timing.unknownEmail.medianMs.toFixed(1)} ms ` +
      `(p90 ${timing.unknownEmail.p90Ms.toFixed(1)}); ratio ${timing.ratio.toFixed(2)}; identical bodies: ${timing.identicalBodies}`,
  );
  console.log(`load average at the end: ${loadAverage()} (figures from a busy machine are only comparable within one run)`);
  const problems = [helloResult, meResult, meUncachedResult, loginResult].filter((r) => r.non2xx > 0 || r.errors > 0).length;
  if (problems > 0) console.log(`WARNING: ${problems} phase(s) saw non-2xx answers or errors`);
  if (!timing.identicalBodies || timing.ratio < 0.67 || timing.ratio > 1.5) {
    console.log('WARNING: wrong-password and unknown-email answers differ in body or timing');
    process.exitCode = 1;
  }
} catch (error) {
  console.error(error);
  process.exitCode = 1;
} finally {
  await cleanup();
  clearTimeout(watchdog);
}
