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
  /** With `tls: true`: the HTTPS address (a self-signed certificate for 127.0.0.1). */
  tlsBaseUrl: string | undefined;
  errorLog(): string;
  accessLog(): string;
  /** The rendered nginx.conf it runs on. */
  config(): string;
  stop(): Promise<void>;
}

export interface GatewayOptions {
  services: string[];
  upstreams: Record<string, string>;
  /** Template values to override (render-gateway's --set), e.g. `{ PROXY_TIMEOUT: '2s' }`. */
  set?: Record<string, string>;
  /** Also listen with TLS, on a certificate made for the occasion. */
  tls?: boolean;
  /** The built web app to serve at / (render-gateway's --web-root). */
  webRoot?: string;
}

/** Renders gateway/nginx.conf with the given upstreams and runs nginx on it in the foreground. */
export async function startGateway(o: GatewayOptions): Promise<RunningGateway> {
  const nginx = findNginx();
  const prefix = mkdtempSync(join(tmpdir(), 'trendcast-gateway-'));
  // nginx workers drop root privileges and must still reach their temp directories.
  chmodSync(prefix, 0o755);
  const port = await freePort();
  const conf = join(prefix, 'nginx.conf');
  const tlsPort = o.tls ? await freePort() : undefined;
  const tlsArgs: string[] = [];
  if (tlsPort !== undefined) {
    const cert = join(prefix, 'cert.pem');
    const key = join(prefix, 'key.pem');
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes',
      '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1',
    ], { stdio: 'pipe' });
    tlsArgs.push('--tls-cert', cert, '--tls-key', key, '--tls-listen', `127.0.0.1:${tlsPort}`);
  }
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
      // Tests read the access log right after a request, so it is written unbuffered.
      ...Object.entries({ ACCESS_LOG_OPTIONS: '', ...o.set }).flatMap(([name, value]) => ['--set', `${name}=${value}`]),
      ...tlsArgs,
    ],
    { stdio: 'pipe' },
  );
  const errorLog = join(prefix, 'logs/gateway-error.log');
  const accessLog = join(prefix, 'logs/gateway-access.log');
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
    tlsBaseUrl: tlsPort === undefined ? undefined : `https://127.0.0.1:${tlsPort}`,
    errorLog: () => readLog(errorLog),
    accessLog: () => readLog(accessLog),
    config: () => readLog(conf),
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
