/**
 * Gateway bench: an authenticated read (GET /users/me with a real access token, the real users
 * service on a database of its own) through the real gateway (gateway/nginx.conf rendered by
 * scripts/render-gateway.mjs, real NGINX), beside the same route direct, and beside a fastify
 * hello-world direct and behind the same gateway config (upstream keepalive, logging, headers),
 * in the same run: warm-up, then several rounds with the four phases interleaved.
 *   npm run bench:gateway [-- --duration 5 --rounds 3 --connections 50 --workers 1]
 */
import os from 'node:os';
import { parseArgs } from 'node:util';
import Fastify from 'fastify';
import postgres from 'postgres';
import { createTestDatabase, uniqueName } from '@trendcast/testing';
import { createUsersService, generateSigningKey, loadUsersConfig, migrateDatabase, SigningKeyRing } from '../../apps/users/src/index.js';
import { runLoad, type LoadResult } from '../users/load.js';
import { startBenchGateway } from './nginx.js';

const { values: flags } = parseArgs({
  options: {
    duration: { type: 'string', default: '5' },
    rounds: { type: 'string', default: '3' },
    warmup: { type: 'string', default: '3' },
    connections: { type: 'string', default: '50' },
    workers: { type: 'string', default: '1' },
  },
});
const durationSeconds = Number(flags.duration);
const rounds = Number(flags.rounds);
const warmupSeconds = Number(flags.warmup);
const connections = Number(flags.connections);
const workers = Number(flags.workers);

// The two figures the target names.
const targetShareOfHello = 0.5;
const targetP99Ms = 20;

const hardLimitMs = ((warmupSeconds + durationSeconds * rounds) * 4 + 120) * 1000;
const cleanups: Array<() => Promise<unknown>> = [];
const cleanup = async () => {
  for (const step of cleanups.reverse().splice(0)) await step().catch((e: unknown) => console.error(`cleanup failed: ${String(e)}`));
};
const watchdog = setTimeout(() => {
  console.error(`bench exceeded ${hardLimitMs} ms: aborting`);
  void cleanup().finally(() => process.exit(1));
}, hardLimitMs);
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void cleanup().finally(() => process.exit(130)));

const loadAverage = () => os.loadavg().map((l) => l.toFixed(2)).join(' ');
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

console.log(
  `gateway bench: ${rounds} rounds of ${durationSeconds}s per phase after ${warmupSeconds}s warm-up, ${connections} connections, ` +
    `${workers} load thread(s); ${os.cpus().length} cpus, node ${process.version}, load average ${loadAverage()}`,
);

try {
  const database = await createTestDatabase('bench_gateway');
  cleanups.push(() => database.drop());
  await migrateDatabase(database.url);
  const config = loadUsersConfig({ LOG_LEVEL: 'silent', DATABASE_URL: database.url, PORT: '0', RABBITMQ_NAMESPACE: uniqueName('bench_gateway') });
  // The service as deployed (service.ts): verified-token cache on, outbox relay running.
  const users = await createUsersService(config, { keys: new SigningKeyRing([generateSigningKey('bench').key]) });
  await users.start({ listen: true });
  cleanups.push(() => users.stop());
  const usersAddress = `127.0.0.1:${(users.app.server.address() as { port: number }).port}`;

  // The baseline service answers under /trends/ so the gateway routes it with the same rules as users.
  const hello = Fastify({ logger: false });
  hello.get('/trends/hello', async () => ({ hello: 'world' }));
  await hello.listen({ host: '127.0.0.1', port: 0 });
  cleanups.push(() => hello.close());
  const helloAddress = `127.0.0.1:${(hello.server.address() as { port: number }).port}`;

  // New TCP connections the services accept: through the gateway they should stay few (upstream keepalive).
  const accepted = { users: 0, hello: 0 };
  users.app.server.on('connection', () => accepted.users++);
  hello.server.on('connection', () => accepted.hello++);

  const gateway = await startBenchGateway({ users: usersAddress, trends: helloAddress });
  cleanups.push(() => gateway.stop());
  const workerProcesses = /worker_processes\s+(\S+);/.exec(gateway.config)?.[1];

  const email = 'bench@example.org';
  const password = 'correct horse battery staple';
  const registered = await fetch(`http://${usersAddress}/users/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password, displayName: 'Bench' }),
  });
  if (registered.status !== 201) throw new Error(`register answered ${registered.status}`);
  const sql = postgres(database.url, { max: 1 });
  await sql`update users set email_verified_at = now() where email = ${email}`;
  await sql.end();
  const login = await fetch(`${gateway.baseUrl}/api/users/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (login.status !== 200) throw new Error(`login through the gateway answered ${login.status}`);
  const { accessToken } = (await login.json()) as { accessToken: string };
  const headers = { authorization: `Bearer ${accessToken}` };

  const phases = [
    { name: 'hello, direct', url: `http://${helloAddress}/trends/hello` },
    { name: 'hello, through NGINX', url: `${gateway.baseUrl}/api/trends/hello` },
    { name: 'GET /users/me, direct', url: `http://${usersAddress}/users/me`, headers },
    { name: 'GET /users/me, through the gateway', url: `${gateway.baseUrl}/api/users/me`, headers },
  ];
  for (const phase of phases) {
    const check = await fetch(phase.url, { headers: phase.headers ?? {} });
    if (check.status !== 200) throw new Error(`${phase.name}: ${phase.url} answered ${check.status}`);
  }

  for (const phase of phases) await runLoad({ ...phase, connections, durationSeconds: warmupSeconds, workers });
  const results = new Map<string, LoadResult[]>(phases.map((phase) => [phase.name, []]));
  const connectionsOpened = new Map<string, number>(phases.map((phase) => [phase.name, 0]));
  for (let round = 1; round <= rounds; round++) {
    // Each round runs the phases in another order, so a slow minute of the machine does not land on one phase only.
    const order = phases.map((_, i) => phases[(i + round - 1) % phases.length]!);
    for (const phase of order) {
      const before = accepted.users + accepted.hello;
      results.get(phase.name)!.push(await runLoad({ ...phase, connections, durationSeconds, workers }));
      connectionsOpened.set(phase.name, connectionsOpened.get(phase.name)! + accepted.users + accepted.hello - before);
    }
    console.log(`round ${round}/${rounds} done, load average ${loadAverage()}`);
  }

  const summary = phases.map((phase) => {
    const runs = results.get(phase.name)!;
    return {
      name: phase.name,
      rps: median(runs.map((r) => r.requestsPerSecond)),
      rpsRange: [Math.min(...runs.map((r) => r.requestsPerSecond)), Math.max(...runs.map((r) => r.requestsPerSecond))],
      p50: median(runs.map((r) => r.p50Ms)),
      p99: median(runs.map((r) => r.p99Ms)),
      p99Max: Math.max(...runs.map((r) => r.p99Ms)),
      failures: runs.reduce((sum, r) => sum + r.non2xx + r.errors, 0),
      opened: connectionsOpened.get(phase.name)! / rounds,
    };
  });
  const [helloDirect, helloNginx, meDirect, meGateway] = summary as [typeof summary[0], typeof summary[0], typeof summary[0], typeof summary[0]];

  console.log('');
  console.log(`${'phase (median of rounds)'.padEnd(36)} ${'req/s'.padStart(8)} ${'(min–max)'.padStart(15)} ${'p50 ms'.padStart(7)} ${'p99 ms'.padStart(7)} ${'(max)'.padStart(6)}  failures  service conns/round`);
  for (const s of summary) {
    console.log(
      `${s.name.padEnd(36)} ${s.rps.toFixed(0).padStart(8)} ${`${s.rpsRange[0]!.toFixed(0)}–${s.rpsRange[1]!.toFixed(0)}`.padStart(15)} ` +
        `${String(s.p50).padStart(7)} ${String(s.p99).padStart(7)} ${String(s.p99Max).padStart(6)}  ${String(s.failures).padStart(8)}  ${s.opened.toFixed(0).padStart(19)}`,
    );
  }
  const share = meGateway.rps / helloNginx.rps;
  const rateMet = share >= targetShareOfHello;
  const latencyMet = meGateway.p99 < targetP99Ms;
  console.log('');
  console.log(`/users/me through the gateway ÷ hello through NGINX: ${share.toFixed(2)} (target ≥ ${targetShareOfHello}) ${rateMet ? 'met' : 'NOT met'}`);
  console.log(`/users/me through the gateway, p99: ${meGateway.p99} ms (target < ${targetP99Ms} ms) ${latencyMet ? 'met' : 'NOT met'}`);
  console.log(
    `for reference: the gateway keeps ${((meGateway.rps / meDirect.rps) * 100).toFixed(0)}% of /users/me direct; ` +
      `NGINX keeps ${((helloNginx.rps / helloDirect.rps) * 100).toFixed(0)}% of hello direct; nginx worker_processes ${workerProcesses}`,
  );
  console.log(`target ${rateMet && latencyMet ? 'MET' : 'NOT MET'}; load average at the end: ${loadAverage()} (compare figures within one run only)`);
  if (summary.some((s) => s.failures > 0)) {
    console.log('WARNING: some phases saw non-2xx answers or errors');
    process.exitCode = 1;
  }
} catch (error) {
  console.error(error);
  process.exitCode = 1;
} finally {
  await cleanup();
  clearTimeout(watchdog);
}
