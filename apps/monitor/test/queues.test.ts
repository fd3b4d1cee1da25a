import { sleep, waitFor } from '@trendcast/testing';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queueWithFailedJob } from './support/queues.js';
import { startMonitor, type MonitorHarness } from './support/service.js';

let h: MonitorHarness;
let cookie: string;
const opened: Queue[] = [];

beforeAll(async () => {
  h = await startMonitor({ env: { MONITOR_QUEUES: 'planned.queue' } });
  cookie = await h.signInAsAdmin();
});

afterAll(async () => {
  await Promise.all(opened.map((queue) => queue.close()));
  await h?.close();
});

async function boardQueueNames(): Promise<string[]> {
  const response = await h.inject({ method: 'GET', url: '/admin/queues/api/queues', headers: { cookie } });
  expect(response.statusCode).toBe(200);
  return (response.json() as { queues: { name: string }[] }).queues.map((queue) => queue.name).sort();
}

/** The value of one series on /metrics, or undefined when it is not there. */
async function metric(name: string, labels: Record<string, string>): Promise<number | undefined> {
  const text = (await h.inject({ method: 'GET', url: '/metrics' })).body;
  const selector = Object.entries(labels)
    .map(([key, value]) => `${key}="${value}"`)
    .join(',');
  const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && l.includes(selector));
  return line === undefined ? undefined : Number(line.split(' ').pop());
}

describe('finding the queues', () => {
  it('when a queue is named in MONITOR_QUEUES, then the board shows it before it has a job', async () => {
    expect(await boardQueueNames()).toEqual(['planned.queue']);
  });

  it('when a service creates a queue after the monitor started, then the next refresh puts it on the board without a restart', async () => {
    const queue = new Queue('emails.send', { connection: h.redis, prefix: h.prefixes[0]! });
    opened.push(queue);
    await queue.waitUntilReady();
    expect(await boardQueueNames()).not.toContain('emails.send');

    await h.monitor.refresh();

    expect(await boardQueueNames()).toEqual(['emails.send', 'planned.queue']);
  });

  it('when a queue lives under the second prefix, then it goes by <prefix>:<name>, so equal names never collide', async () => {
    const queue = new Queue('emails.send', { connection: h.redis, prefix: h.prefixes[1]! });
    opened.push(queue);
    await queue.waitUntilReady();

    await h.monitor.refresh();

    expect(await boardQueueNames()).toEqual([`${h.prefixes[1]}:emails.send`, 'emails.send', 'planned.queue'].sort());
  });

  it('when the monitor opens a queue, then the owner\'s settings in its meta stay as the owner wrote them', async () => {
    const queue = new Queue('events.trimmed', { connection: h.redis, prefix: h.prefixes[0]!, streams: { events: { maxLen: 123 } } });
    opened.push(queue);
    await queue.waitUntilReady();
    const meta = `${h.prefixes[0]}:events.trimmed:meta`;
    await waitFor(async () => (await h.redis.hget(meta, 'opts.maxLenEvents')) === '123', { what: 'the owner\'s meta' });

    await h.monitor.refresh();

    expect(await boardQueueNames()).toContain('events.trimmed');
    await sleep(100);
    expect(await h.redis.hget(meta, 'opts.maxLenEvents')).toBe('123');
  });

  it('when a queue is under a prefix nobody configured, then the monitor does not show it', async () => {
    const stranger = new Queue('stranger', { connection: h.redis, prefix: `${h.namespace}_unlisted` });
    opened.push(stranger);
    await stranger.waitUntilReady();

    await h.monitor.refresh();

    expect(await boardQueueNames()).not.toContain('stranger');
    expect((await boardQueueNames()).some((name) => name.includes('unlisted'))).toBe(false);
  });
});

describe('the queue gauges on /metrics', () => {
  it('when jobs wait and one failed, then trendcast_queue_jobs counts them per queue and state', async () => {
    const { queue } = await queueWithFailedJob({ redis: h.redis, prefix: h.prefixes[0]!, name: 'reports.render' });
    opened.push(queue);
    await queue.add('render-report', { reportId: 1 });
    await queue.add('render-report', { reportId: 2 });

    await h.monitor.refresh();

    expect(await metric('trendcast_queue_jobs', { queue: 'reports.render', state: 'waiting' })).toBe(2);
    expect(await metric('trendcast_queue_jobs', { queue: 'reports.render', state: 'failed' })).toBe(1);
    expect(await metric('trendcast_queue_jobs', { queue: 'reports.render', state: 'active' })).toBe(0);
    expect(await metric('trendcast_queue_jobs', { queue: `${h.prefixes[1]}:emails.send`, state: 'waiting' })).toBe(0);
  });

  it('when a queue is removed from Redis, then it leaves the board and its series leave /metrics', async () => {
    const queue = new Queue('short.lived', { connection: h.redis, prefix: h.prefixes[0]! });
    await queue.add('x', {});
    await h.monitor.refresh();
    expect(await metric('trendcast_queue_jobs', { queue: 'short.lived', state: 'waiting' })).toBe(1);

    await queue.obliterate({ force: true });
    await queue.close();
    await h.monitor.refresh();

    expect(await boardQueueNames()).not.toContain('short.lived');
    expect(await metric('trendcast_queue_jobs', { queue: 'short.lived', state: 'waiting' })).toBeUndefined();
  });
});
