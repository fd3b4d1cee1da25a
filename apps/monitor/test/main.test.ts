import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { testEnv, uniqueName, waitFor } from '@trendcast/testing';
import { describe, expect, it } from 'vitest';

const appDir = fileURLToPath(new URL('..', import.meta.url));

describe('main.ts', () => {
  it('when SIGTERM arrives, then the refresh loop, the queues and the connections stop in order and it exits 0', async () => {
    const run = uniqueName('mon_main');
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: appDir,
      env: {
        ...process.env,
        NODE_ENV: 'test',
        PORT: '0',
        REDIS_URL: testEnv.redisUrl,
        RABBITMQ_URL: testEnv.rabbitUrl,
        RABBITMQ_NAMESPACE: run,
        MONITOR_BULLMQ_PREFIXES: run,
        MONITOR_REDIS_KEY_PREFIX: `${run}:`,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const lines = () =>
      output
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as { msg: string });
    await waitFor(() => lines().some((line) => line.msg === 'service started'), { timeoutMs: 20_000, what: `main.ts to start (${output})` });

    child.kill('SIGTERM');
    const [code] = await once(child, 'exit');

    expect(code).toBe(0);
    expect(lines().filter((line) => line.msg.startsWith('stopped ')).map((line) => line.msg)).toEqual([
      'stopped http',
      'stopped refresh loop',
      'stopped queues',
      'stopped rabbitmq',
      'stopped redis',
    ]);
  });
});
