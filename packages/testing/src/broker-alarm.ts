import { execFile, spawn } from 'node:child_process';
import { mkdir, rmdir, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
/** The broker's normal memory high watermark (its default); restored after every alarm. */
const normalWatermark = '0.4';
const lockDir = join(tmpdir(), 'trendcast-broker-alarm.lock');
/** Past this, a leftover lock (its holder died) is taken over, and the broker restored regardless. */
const maxAlarmMs = 30_000;

/**
 * Raises a real memory alarm on the local RabbitMQ for the duration of `work`: the broker blocks every
 * connection that publishes (connection.blocked) until the alarm clears. The broker is shared, so the
 * alarm is kept short, never overlaps another test's (a lock across processes), and the watermark is
 * restored in a finally and, should this process die first, by a detached process after 30 s.
 */
export async function withBrokerMemoryAlarm<T>(work: () => Promise<T>): Promise<T> {
  await takeLock();
  const deadManSwitch = spawn('sh', ['-c', `sleep ${maxAlarmMs / 1000}; rabbitmqctl -q set_vm_memory_high_watermark ${normalWatermark}`], {
    detached: true,
    stdio: 'ignore',
  });
  deadManSwitch.unref();
  try {
    await run('rabbitmqctl', ['-q', 'set_vm_memory_high_watermark', '0.0000001']);
    return await work();
  } finally {
    await run('rabbitmqctl', ['-q', 'set_vm_memory_high_watermark', normalWatermark]);
    try {
      process.kill(-deadManSwitch.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
    await rmdir(lockDir).catch(() => {});
  }
}

async function takeLock(): Promise<void> {
  for (;;) {
    try {
      await mkdir(lockDir);
      return;
    } catch {
      const since = await stat(lockDir).then((info) => Date.now() - info.mtimeMs, () => 0);
      if (since > maxAlarmMs + 5_000) await rmdir(lockDir).catch(() => {});
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}
