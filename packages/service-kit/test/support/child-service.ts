import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { waitFor } from '@trendcast/testing';

export interface ChildService {
  process: ChildProcess;
  port: number;
  logs(): Array<Record<string, unknown>>;
  waitForLog(msg: string): Promise<Record<string, unknown>>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Runs a service script in a real Node process (through tsx) and reads its JSON logs from stdout. */
export async function startChildService(script: string, env: Record<string, string> = {}): Promise<ChildService> {
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL(script, import.meta.url))], {
    env: { ...process.env, PORT: '0', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  const logs = () =>
    stdout
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  const waitForLog = (msg: string) =>
    waitFor(() => logs().find((line) => line.msg === msg), { timeoutMs: 20_000, what: `log "${msg}" (stderr: ${stderr})` });

  const listening = await waitFor(
    () => logs().find((line) => String(line.msg).startsWith('http server listening on')) ?? (child.exitCode !== null && 'exited'),
    { timeoutMs: 20_000, what: 'the service to listen' },
  );
  if (listening === 'exited') throw new Error(`service exited early: ${stderr}`);
  const port = Number(/:(\d+)$/.exec(String(listening.msg))![1]);
  return { process: child, port, logs, waitForLog, exited };
}
