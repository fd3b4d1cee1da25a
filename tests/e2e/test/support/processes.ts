import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { repoRoot } from './repo.js';

/** A port that was free a moment ago (NGINX and the services are told their port). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (!address || typeof address === 'string') throw new Error('no TCP port');
  return address.port;
}

export interface RunningProcess {
  name: string;
  logFile: string;
  exited: boolean;
  /** Resolves with the exit code (null when a signal ended it). */
  finished: Promise<number | null>;
  /** The log so far: the first thing to read when a step fails. */
  log(): string;
  stop(timeoutMs?: number): Promise<void>;
}

/** Runs a command with its output in `logDir/<name>.log`; it dies with the test run. */
export function startProcess(o: { name: string; command: string; args: string[]; cwd: string; env: Record<string, string>; logDir: string }): RunningProcess {
  mkdirSync(o.logDir, { recursive: true });
  const logFile = join(o.logDir, `${o.name}.log`);
  const out = createWriteStream(logFile);
  const child: ChildProcess = spawn(o.command, o.args, {
    cwd: o.cwd,
    env: { PATH: `${join(repoRoot, 'node_modules/.bin')}:${process.env.PATH ?? ''}`, HOME: process.env.HOME ?? '/tmp', ...o.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.pipe(out, { end: false });
  child.stderr?.pipe(out, { end: false });
  const finished = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const exit = finished.then(() => undefined);
  const running: RunningProcess = {
    name: o.name,
    logFile,
    finished,
    get exited() {
      return child.exitCode !== null || child.signalCode !== null;
    },
    log: () => {
      try {
        return readFileSync(logFile, 'utf8');
      } catch {
        return '';
      }
    },
    async stop(timeoutMs = 15_000) {
      if (!running.exited) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
        await exit;
        clearTimeout(timer);
      }
      out.end();
    },
  };
  return running;
}

/** Runs a command to completion; rejects with its output when it exits non-zero. */
export async function runToEnd(o: { name: string; command: string; args: string[]; cwd: string; env: Record<string, string>; logDir: string }): Promise<void> {
  const process = startProcess(o);
  const code = await process.finished;
  await process.stop();
  if (code !== 0) throw new Error(`${o.name} exited with ${code}:\n${process.log().slice(-4000)}`);
}

/** Polls `url` until it answers 2xx (any status with `anyStatus`); fails early (with the log) when the process dies. */
export async function waitUntilReady(url: string, process: RunningProcess, timeoutMs = 60_000, o: { anyStatus?: boolean } = {}): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (process.exited) throw new Error(`${process.name} exited before it was ready:\n${process.log().slice(-4000)}`);
    try {
      const response = await fetch(url);
      await response.arrayBuffer();
      if (response.ok || o.anyStatus) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${process.name} was not ready at ${url} within ${timeoutMs} ms:\n${process.log().slice(-4000)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
