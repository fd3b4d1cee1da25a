import { afterEach, describe, expect, it } from 'vitest';
import { startChildService, type ChildService } from './support/child-service.js';

describe('graceful shutdown of a real service process', () => {
  let service: ChildService | undefined;
  afterEach(() => {
    if (service?.process.exitCode === null) service.process.kill('SIGKILL');
  });

  it('when SIGTERM arrives during a request and a job, then both finish, stops run in order and the exit code is 0', async () => {
    service = await startChildService('../fixtures/slow-service.ts', { WORK_MS: '1000' });
    const response = fetch(`http://127.0.0.1:${service.port}/slowsvc/work`, { method: 'POST' });
    await service.waitForLog('work started');
    await service.waitForLog('job started');

    service.process.kill('SIGTERM');

    const answered = await response;
    expect(answered.status).toBe(200);
    expect(await answered.json()).toEqual({ done: true });
    expect(await service.exited).toEqual({ code: 0, signal: null });
    const messages = service.logs().map((line) => line.msg);
    const order = ['shutting down', 'stopping http', 'work finished', 'stopped http', 'stopping worker', 'job finished', 'stopped worker', 'shutdown complete'];
    const positions = order.map((msg) => messages.lastIndexOf(msg));
    expect(positions.every((position) => position >= 0)).toBe(true);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    expect(service.logs().find((line) => line.msg === 'shutting down')).toMatchObject({ reason: 'SIGTERM' });
    expect(service.logs().find((line) => line.msg === 'shutdown complete')).toMatchObject({ exitCode: 0 });
  });

  it('when a stop hangs past the shutdown timeout, then the process still exits, with code 1', async () => {
    service = await startChildService('../fixtures/slow-service.ts', {
      WORK_MS: '50',
      HANG_ON_STOP: 'true',
      SHUTDOWN_TIMEOUT_MS: '1000',
    });

    service.process.kill('SIGINT');

    expect(await service.exited).toEqual({ code: 1, signal: null });
    expect(service.logs().some((line) => line.msg === 'shutdown timed out while stopping stuck-pool')).toBe(true);
    expect(service.logs().some((line) => line.msg === 'stopped worker')).toBe(true);
  });

  it('when an exception escapes, then it is logged, the service stops gracefully and exits 1', async () => {
    service = await startChildService('../fixtures/slow-service.ts', { WORK_MS: '50' });

    await fetch(`http://127.0.0.1:${service.port}/slowsvc/crash`, { method: 'POST' });

    expect(await service.exited).toEqual({ code: 1, signal: null });
    const fatal = service.logs().find((line) => line.msg === 'uncaught exception');
    expect(fatal).toMatchObject({ level: 'fatal', err: { message: 'escaped the request' } });
    expect(service.logs().some((line) => line.msg === 'stopped worker')).toBe(true);
  });
});
