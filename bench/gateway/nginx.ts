import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export interface BenchGateway {
  baseUrl: string;
  /** The rendered config, as nginx runs it. */
  config: string;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as { port: number };
  await new Promise<void>((done) => server.close(() => done()));
  return port;
}

function findNginx(): string {
  for (const path of ['/usr/sbin/nginx', '/usr/local/sbin/nginx', '/usr/bin/nginx']) if (existsSync(path)) return path;
  throw new Error('nginx is not installed: apt-get install -y nginx');
}

/** The real gateway: gateway/nginx.conf rendered by scripts/render-gateway.mjs for these upstreams, nginx in the foreground. */
export async function startBenchGateway(upstreams: Record<string, string>): Promise<BenchGateway> {
  const nginx = findNginx();
  const prefix = mkdtempSync(join(tmpdir(), 'trendcast-bench-gateway-'));
  // nginx workers drop root privileges and must still reach their temp and log directories.
  chmodSync(prefix, 0o755);
  const port = await freePort();
  const conf = join(prefix, 'nginx.conf');
  execFileSync(process.execPath, [
    join(repoRoot, 'scripts/render-gateway.mjs'),
    '--target', 'local',
    '--prefix', prefix,
    '--out', conf,
    '--listen', `127.0.0.1:${port}`,
    '--services', Object.keys(upstreams).join(','),
    ...Object.entries(upstreams).flatMap(([name, address]) => ['--upstream', `${name}=${address}`]),
  ], { stdio: 'pipe' });
  const errorLog = join(prefix, 'logs/gateway-error.log');
  const child: ChildProcess = spawn(nginx, ['-p', prefix, '-c', conf, '-e', errorLog, '-g', 'daemon off;'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`nginx exited at start: ${stderr}`);
    if (await fetch(`${baseUrl}/healthz`).then((r) => r.ok, () => false)) break;
    if (Date.now() > deadline) throw new Error(`nginx did not answer /healthz: ${stderr}`);
    await new Promise((done) => setTimeout(done, 50));
  }
  return {
    baseUrl,
    config: readFileSync(conf, 'utf8'),
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(prefix, { recursive: true, force: true });
    },
  };
}
