import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  ConfigError,
  databaseConfigShape,
  httpConfigShape,
  inboxConfigShape,
  loadConfig,
  messagingConfigShape,
  originListVar,
  redisConfigShape,
  serviceConfigShape,
} from '../src/index.js';

const schema = z.object({
  ...serviceConfigShape,
  ...httpConfigShape(3009),
  ...databaseConfigShape('shop'),
  ...messagingConfigShape,
  ...inboxConfigShape,
  ...redisConfigShape,
});

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(schema, env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems.map((problem) => problem.variable);
  }
  throw new Error('expected loadConfig to throw');
}

describe('the shared config shapes', () => {
  it('when the environment is empty, then every shape gives its local default', () => {
    expect(loadConfig(schema, {})).toEqual({
      NODE_ENV: 'development',
      LOG_LEVEL: 'info',
      SHUTDOWN_TIMEOUT_MS: 25_000,
      HOST: '127.0.0.1',
      PORT: 3009,
      HTTP_BODY_LIMIT_BYTES: 65_536,
      TRUST_PROXY: false,
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/shop',
      DATABASE_POOL_MAX: 10,
      RABBITMQ_URL: 'amqp://guest:guest@127.0.0.1:5672',
      EVENT_HANDLER_TIMEOUT_MS: 60_000,
      INBOX_RETENTION_DAYS: 30,
      REDIS_URL: 'redis://127.0.0.1:6379',
    });
  });

  it('when TRUST_PROXY names addresses, then they are kept; false stays false and true (believe anyone) is refused naming it', () => {
    expect(loadConfig(schema, { TRUST_PROXY: '127.0.0.1,10.0.0.0/8' }).TRUST_PROXY).toEqual(['127.0.0.1', '10.0.0.0/8']);
    expect(loadConfig(schema, { TRUST_PROXY: 'FALSE' }).TRUST_PROXY).toBe(false);
    expect(problemsOf({ TRUST_PROXY: 'TRUE' })).toEqual(['TRUST_PROXY']);
  });

  it('when a service names its local gateway as the default, then TRUST_PROXY falls back to it', () => {
    const local = z.object(httpConfigShape(3009, { trustProxy: '127.0.0.1' }));
    expect(loadConfig(local, {}).TRUST_PROXY).toEqual(['127.0.0.1']);
    expect(loadConfig(local, { TRUST_PROXY: 'false' }).TRUST_PROXY).toBe(false);
  });

  it('when RABBITMQ_NAMESPACE is a plain name, then it is kept; anything else is refused naming it', () => {
    expect(loadConfig(schema, { RABBITMQ_NAMESPACE: 'test_run.1-a' }).RABBITMQ_NAMESPACE).toBe('test_run.1-a');
    for (const bad of ['has space', '#', 'a/b', '.leading-dot']) expect(problemsOf({ RABBITMQ_NAMESPACE: bad })).toEqual(['RABBITMQ_NAMESPACE']);
  });

  it('when DATABASE_POOL_MAX is out of range, then it is refused naming it', () => {
    expect(problemsOf({ DATABASE_POOL_MAX: '0' })).toEqual(['DATABASE_POOL_MAX']);
    expect(problemsOf({ DATABASE_POOL_MAX: '101' })).toEqual(['DATABASE_POOL_MAX']);
  });

  it('when EVENT_HANDLER_TIMEOUT_MS would reach the broker\'s own consumer timeout (30 min), or INBOX_RETENTION_DAYS is under a day, then they are refused naming them', () => {
    expect(loadConfig(schema, { EVENT_HANDLER_TIMEOUT_MS: '1500', INBOX_RETENTION_DAYS: '90' })).toMatchObject({ EVENT_HANDLER_TIMEOUT_MS: 1_500, INBOX_RETENTION_DAYS: 90 });
    expect(problemsOf({ EVENT_HANDLER_TIMEOUT_MS: String(30 * 60_000) })).toEqual(['EVENT_HANDLER_TIMEOUT_MS']);
    expect(problemsOf({ EVENT_HANDLER_TIMEOUT_MS: '0' })).toEqual(['EVENT_HANDLER_TIMEOUT_MS']);
    expect(problemsOf({ INBOX_RETENTION_DAYS: '0' })).toEqual(['INBOX_RETENTION_DAYS']);
  });

  it('when an origin list is read, then entries become bare origins; a path or another scheme is refused', () => {
    const origins = z.object({ ORIGINS: originListVar() });

    expect(loadConfig(origins, {}).ORIGINS).toEqual([]);
    expect(loadConfig(origins, { ORIGINS: 'https://a.example/, http://127.0.0.1:8080' }).ORIGINS).toEqual(['https://a.example', 'http://127.0.0.1:8080']);
    for (const bad of ['https://a.example/app', 'ftp://a.example', 'a.example']) expect(() => loadConfig(origins, { ORIGINS: bad })).toThrow(/ORIGINS/);
  });
});
