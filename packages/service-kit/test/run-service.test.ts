import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { createLogger, runService, type Stop } from '../src/index.js';
import { captureLogs } from './support/log-capture.js';

function harness() {
  const logs = captureLogs();
  const events = new EventEmitter();
  const exits: number[] = [];
  const calls: string[] = [];
  const stop = (name: string, work: () => Promise<void> = async () => undefined): Stop => [
    name,
    async () => {
      calls.push(name);
      await work();
    },
  ];
  const base = {
    logger: createLogger({ service: 'svc', destination: logs.stream }),
    processEvents: events,
    exit: (code: number) => exits.push(code),
  };
  return { logs, events, exits, calls, stop, base };
}

describe('runService', () => {
  it('when SIGTERM arrives, then the stops run in order, each logged, and the exit code is 0', async () => {
    const h = harness();
    const running = await runService({ ...h.base, start: async () => undefined, stops: [h.stop('http'), h.stop('consumers'), h.stop('pools')] });

    h.events.emit('SIGTERM');
    const code = await running.shutdown('again');

    expect(code).toBe(0);
    expect(h.calls).toEqual(['http', 'consumers', 'pools']);
    expect(h.exits).toEqual([0]);
    const messages = h.logs.lines().map((line) => line.msg);
    expect(messages).toEqual(
      expect.arrayContaining(['shutting down', 'stopping http', 'stopped http', 'stopped consumers', 'stopped pools', 'shutdown complete']),
    );
  });

  it('when a stop fails, then the next stops still run and the exit code is 1', async () => {
    const h = harness();
    const failing = h.stop('consumers', async () => {
      throw new Error('channel closed');
    });
    const running = await runService({ ...h.base, start: async () => undefined, stops: [h.stop('http'), failing, h.stop('pools')] });

    const code = await running.shutdown('test');

    expect(code).toBe(1);
    expect(h.calls).toEqual(['http', 'consumers', 'pools']);
    expect(h.logs.lines().find((line) => line.msg === 'failed to stop consumers')).toMatchObject({
      level: 'error',
      err: { message: 'channel closed' },
    });
  });

  it('when start fails, then it is logged, what was registered is stopped and the exit code is 1', async () => {
    const h = harness();
    const stops: Stop[] = [];
    await runService({
      ...h.base,
      stops,
      start: async () => {
        stops.push(h.stop('pools'));
        throw new Error('database unreachable');
      },
    });

    await expect.poll(() => h.exits).toEqual([1]);
    expect(h.calls).toEqual(['pools']);
    expect(h.logs.lines().find((line) => line.msg === 'start failed')).toMatchObject({ level: 'fatal' });
  });

  it('when a second signal arrives during shutdown, then the process exits at once with 1', async () => {
    const h = harness();
    let release!: () => void;
    const slow = h.stop('consumers', () => new Promise<void>((resolve) => (release = resolve)));
    const running = await runService({ ...h.base, start: async () => undefined, stops: [slow] });

    h.events.emit('SIGTERM');
    await expect.poll(() => h.calls).toEqual(['consumers']);
    h.events.emit('SIGINT');

    expect(h.exits).toEqual([1]);
    release();
    await running.shutdown('done');
  });

  it('when a promise rejection goes unhandled, then it is logged and the service shuts down with 1', async () => {
    const h = harness();
    const running = await runService({ ...h.base, start: async () => undefined, stops: [h.stop('http')] });

    h.events.emit('unhandledRejection', new Error('forgot to await'));

    expect(await running.shutdown('x')).toBe(1);
    expect(h.calls).toEqual(['http']);
    expect(h.logs.lines().find((line) => line.msg === 'unhandled promise rejection')).toMatchObject({
      level: 'fatal',
      err: { message: 'forgot to await' },
    });
  });
});
