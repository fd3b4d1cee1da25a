import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startProcess, waitUntilReady, type RunningProcess } from './processes.js';
import { repoRoot } from './repo.js';

const candidates = ['/usr/sbin/nginx', '/usr/local/sbin/nginx', '/usr/bin/nginx'];

export function findNginx(): string {
  const found = candidates.find((path) => existsSync(path));
  if (!found) throw new Error('nginx is not installed: run `apt-get install -y nginx` (scripts/infra.sh does it on Debian)');
  return found;
}

/** The real gateway: gateway/nginx.conf rendered by scripts/render-gateway.mjs for these upstreams, serving the built web app. */
export async function startGateway(o: { port: number; dir: string; services: string[]; upstreams: Record<string, number>; webRoot: string }): Promise<RunningProcess> {
  if (!existsSync(join(o.webRoot, 'index.html'))) {
    throw new Error(`the web app is not built (${o.webRoot}/index.html is missing): run \`npm run build -w @trendcast/web\``);
  }
  mkdirSync(o.dir, { recursive: true });
  // NGINX workers drop root privileges and must still reach their temp directories.
  chmodSync(o.dir, 0o755);
  const conf = join(o.dir, 'nginx.conf');
  execFileSync(
    process.execPath,
    [
      join(repoRoot, 'scripts/render-gateway.mjs'),
      '--target', 'local',
      '--prefix', o.dir,
      '--out', conf,
      '--listen', `127.0.0.1:${o.port}`,
      '--services', o.services.join(','),
      '--web-root', o.webRoot,
      ...Object.entries(o.upstreams).flatMap(([name, port]) => ['--upstream', `${name}=127.0.0.1:${port}`]),
    ],
    { stdio: 'pipe' },
  );
  const gateway = startProcess({
    name: 'gateway',
    command: findNginx(),
    args: ['-p', o.dir, '-c', conf, '-e', join(o.dir, 'logs/gateway-error.log'), '-g', 'daemon off;'],
    cwd: o.dir,
    env: {},
    logDir: join(o.dir, 'logs'),
  });
  await waitUntilReady(`http://127.0.0.1:${o.port}/healthz`, gateway, 15_000);
  return gateway;
}
