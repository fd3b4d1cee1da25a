import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from './repo.js';

const candidates = ['/usr/sbin/nginx', '/usr/local/sbin/nginx', '/usr/bin/nginx', '/usr/local/bin/nginx'];

/** The real nginx binary; the gateway is never faked, so its absence is a failure, not a skip. */
export function findNginx(): string {
  const found = candidates.find((path) => existsSync(path));
  if (found) return found;
  try {
    return execFileSync('sh', ['-c', 'command -v nginx'], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error('nginx is not installed: run `apt-get install -y nginx` (scripts/infra.sh does it on Debian)');
  }
}

/** A port that was free a moment ago (nginx cannot be told to pick one itself). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (!address || typeof address === 'string') throw new Error('no TCP port');
  return address.port;
}

export interface RunningGateway {
  baseUrl: string;
  errorLog(): string;
  stop(): Promise<void>;
}

/** Renders gateway/nginx.conf with the given upstreams and runs nginx on it in the foreground. */
export async function startGateway(o: { services: string[]; upstreams: Record<string, string>; webRoot?: string }): Promise<RunningGateway> {
  const nginx = findNginx();
  const prefix = mkdtempSync(join(tmpdir(), 'trendcast-gateway-'));
  // nginx workers drop root privileges and must still reach their temp directories.
  chmodSync(prefix, 0o755);
  const port = await freePort();
  const conf = join(prefix, 'nginx.conf');
  execFileSync(
    process.execPath,
    [
      join(repoRoot, 'scripts/render-gateway.mjs'),
      '--target', 'local',
      '--prefix', prefix,
      '--out', conf,
      '--listen', `127.0.0.1:${port}`,
      '--services', o.services.join(','),
      ...Object.entries(o.upstreams).flatMap(([name, address]) => ['--upstream', `${name}=${address}`]),
      ...(o.webRoot ? ['--web-root', o.webRoot] : []),
    ],
    { stdio: 'pipe' },
  );
  const errorLog = join(prefix, 'logs/gateway-error.log');
  const child: ChildProcess = spawn(nginx, ['-p', prefix, '-c', conf, '-e', errorLog, '-g', 'daemon off;'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`nginx exited at start: ${stderr}${readLog(errorLog)}`);
    try {
      if ((await fetch(`${baseUrl}/healthz`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`nginx did not answer /healthz: ${stderr}${readLog(errorLog)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }

  return {
    baseUrl,
    errorLog: () => readLog(errorLog),
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(prefix, { recursive: true, force: true });
    },
  };
}

function readLog(path: string): string {
  return existsSync(path) ? readFileSync(path, 'utf8') : '';
}
