import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { waitFor } from '@trendcast/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTweeter, type TweeterStack } from './support/service.js';

const appDir = fileURLToPath(new URL('..', import.meta.url));

describe('main.ts as a process', () => {
  let stack: TweeterStack;

  beforeAll(async () => {
    // Only for its database, prefix and namespace: main.ts runs the service itself.
    stack = await startTweeter({ start: false });
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('when SIGTERM arrives, then every step stops in order and it exits 0', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: appDir,
      env: { ...process.env, ...stack.env, LOG_LEVEL: 'info', PORT: '0', HOST: '127.0.0.1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const lines = () =>
      output
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as { msg: string });
    await waitFor(() => lines().some((line) => line.msg === 'service started'), { timeoutMs: 20_000, what: `main.ts to start (${output})` });
    child.kill('SIGTERM');
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
    const stopped = lines().filter((line) => line.msg.startsWith('stopped ')).map((line) => line.msg);
    expect(stopped[0]).toBe('stopped http');
    expect(stopped.at(-1)).toBe('stopped postgres');
    expect(stopped).toEqual(expect.arrayContaining(['stopped worker', 'stopped reconciler', 'stopped outbox relay']));
  });
});
