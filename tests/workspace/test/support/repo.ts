import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';

/** The repository root (this project lives at tests/workspace). */
export const repoRoot = resolve(import.meta.dirname, '../../../..');

export const nxEnv = { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false' };

/** Computes and caches the Nx project graph, which lint rules read from disk. */
export function ensureProjectGraph(): void {
  execFileSync(resolve(repoRoot, 'node_modules/.bin/nx'), ['show', 'projects'], {
    cwd: repoRoot,
    env: nxEnv,
    stdio: 'ignore',
  });
}
