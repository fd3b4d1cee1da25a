import { ConfigError } from '@trendcast/service-kit';
import { describe, expect, it } from 'vitest';
import { loadMonitorConfig } from '../src/config.js';

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadMonitorConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems.map((problem) => problem.variable).sort();
  }
  throw new Error('expected the configuration to be refused');
}

describe('monitor configuration', () => {
  it('when the environment is empty in development, then it runs on 3006 over the default BullMQ prefix with an hour-long session', () => {
    const config = loadMonitorConfig({});

    expect(config.PORT).toBe(3006);
    expect(config.MONITOR_BULLMQ_PREFIXES).toEqual(['bull']);
    expect(config.MONITOR_QUEUES).toEqual([]);
    expect(config.MONITOR_EVENT_CONSUMERS).toEqual(['notifier', 'trends', 'thinker', 'tweeter']);
    expect(config.MONITOR_SESSION_TTL_SECONDS).toBe(3600);
    // A secret of the process's own: long enough, and another one in the next process.
    expect(config.MONITOR_SESSION_SECRET.length).toBeGreaterThanOrEqual(32);
    expect(loadMonitorConfig({}).MONITOR_SESSION_SECRET).not.toBe(config.MONITOR_SESSION_SECRET);
  });

  it('when MONITOR_SESSION_SECRET is missing in production, then loading fails naming it', () => {
    expect(problemsOf({ NODE_ENV: 'production' })).toEqual(['MONITOR_SESSION_SECRET']);
    expect(loadMonitorConfig({ NODE_ENV: 'production', MONITOR_SESSION_SECRET: 'x'.repeat(32) }).MONITOR_SESSION_SECRET).toBe('x'.repeat(32));
  });

  it('when the secret is short, a prefix list is empty or holds a bad name, then each is named', () => {
    expect(problemsOf({ MONITOR_SESSION_SECRET: 'short' })).toEqual(['MONITOR_SESSION_SECRET']);
    expect(problemsOf({ MONITOR_BULLMQ_PREFIXES: ' , ' })).toEqual(['MONITOR_BULLMQ_PREFIXES']);
    expect(problemsOf({ MONITOR_BULLMQ_PREFIXES: 'bull,has space', MONITOR_QUEUES: 'a:b' })).toEqual(['MONITOR_BULLMQ_PREFIXES', 'MONITOR_QUEUES']);
    expect(problemsOf({ WEB_ORIGINS: 'https://a.example/path' })).toEqual(['WEB_ORIGINS']);
  });

  it('when lists are given, then they are trimmed and repeated names counted once', () => {
    const config = loadMonitorConfig({ MONITOR_BULLMQ_PREFIXES: ' bull , tenant-b ,bull', MONITOR_QUEUES: 'trends.search, notifier.email' });

    expect(config.MONITOR_BULLMQ_PREFIXES).toEqual(['bull', 'tenant-b']);
    expect(config.MONITOR_QUEUES).toEqual(['trends.search', 'notifier.email']);
  });

  it('when MONITOR_OUTBOX_SERVICES is unset, then no service is asked; when given, each is name=address, and bad entries are named', () => {
    expect(loadMonitorConfig({}).MONITOR_OUTBOX_SERVICES).toEqual([]);
    expect(loadMonitorConfig({ MONITOR_OUTBOX_SERVICES: ' users=http://127.0.0.1:3001 , trends=http://trends:3002/ ' }).MONITOR_OUTBOX_SERVICES).toEqual([
      { name: 'users', url: 'http://127.0.0.1:3001' },
      { name: 'trends', url: 'http://trends:3002' },
    ]);
    for (const bad of ['users', 'users=', '=http://a:1', 'users=ftp://a:1', 'users=http://a:1/users', 'has space=http://a:1', 'a=http://a:1,a=http://b:1']) {
      expect(problemsOf({ MONITOR_OUTBOX_SERVICES: bad }), bad).toEqual(['MONITOR_OUTBOX_SERVICES']);
    }
  });
});
