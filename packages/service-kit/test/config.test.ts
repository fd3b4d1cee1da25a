import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  authConfigShape,
  booleanVar,
  commonConfigShape,
  ConfigError,
  databaseUrlVar,
  loadConfig,
  portVar,
  redisUrlVar,
} from '../src/index.js';

const schema = z.object({
  ...commonConfigShape,
  ...authConfigShape,
  PORT: portVar(3001),
  DATABASE_URL: databaseUrlVar('users'),
  REDIS_URL: redisUrlVar(),
  EMAIL_ENABLED: booleanVar(true),
  SIGNING_SECRET: z.string().min(32),
});

function problemsOf(env: Record<string, string>) {
  try {
    loadConfig(schema, env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected loadConfig to throw');
}

describe('loadConfig', () => {
  it('when only required variables are set, then local development defaults fill the rest', () => {
    const config = loadConfig(schema, { SIGNING_SECRET: 'x'.repeat(32) });

    expect(config).toMatchObject({
      NODE_ENV: 'development',
      LOG_LEVEL: 'info',
      HOST: '127.0.0.1',
      PORT: 3001,
      RABBITMQ_URL: 'amqp://guest:guest@127.0.0.1:5672',
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/users',
      REDIS_URL: 'redis://127.0.0.1:6379',
      JWT_ISSUER: 'trendcast-users',
      JWT_AUDIENCE: 'trendcast',
      JWKS_URL: 'http://127.0.0.1:3001/users/.well-known/jwks.json',
      HTTP_BODY_LIMIT_BYTES: 65536,
      EMAIL_ENABLED: true,
    });
  });

  it('when a variable is set, then it is parsed to its type', () => {
    const config = loadConfig(schema, {
      SIGNING_SECRET: 'x'.repeat(32),
      PORT: '8081',
      EMAIL_ENABLED: 'false',
      LOG_LEVEL: 'debug',
    });

    expect(config.PORT).toBe(8081);
    expect(config.EMAIL_ENABLED).toBe(false);
    expect(config.LOG_LEVEL).toBe('debug');
  });

  it('when a boolean says "false", "0", "no" or "off", then it is false (never coerced to true)', () => {
    for (const value of ['false', '0', 'no', 'off', 'FALSE']) {
      expect(loadConfig(schema, { SIGNING_SECRET: 'x'.repeat(32), EMAIL_ENABLED: value }).EMAIL_ENABLED).toBe(false);
    }
  });

  it('when a variable is empty, then it counts as unset and takes its default', () => {
    expect(loadConfig(schema, { SIGNING_SECRET: 'x'.repeat(32), PORT: '' }).PORT).toBe(3001);
  });

  it('when several variables are bad or missing, then the error names every one with its reason', () => {
    const error = problemsOf({ PORT: 'abc', EMAIL_ENABLED: 'maybe', DATABASE_URL: 'mysql://db', LOG_LEVEL: 'loud' });

    expect(error.problems).toEqual(
      expect.arrayContaining([
        { variable: 'PORT', message: 'must be a whole number' },
        { variable: 'EMAIL_ENABLED', message: 'must be one of true/false, 1/0, yes/no, on/off' },
        { variable: 'DATABASE_URL', message: 'must be a URL starting with postgres:// or postgresql://' },
        { variable: 'LOG_LEVEL', message: expect.stringContaining('must be one of fatal, error') },
        { variable: 'SIGNING_SECRET', message: 'is required but not set' },
      ]),
    );
    expect(error.problems).toHaveLength(5);
  });

  it('when a port is out of range, then the message says the limit', () => {
    const error = problemsOf({ SIGNING_SECRET: 'x'.repeat(32), PORT: '70000' });

    expect(error.problems).toEqual([{ variable: 'PORT', message: 'must be at most 65535' }]);
  });

  it('when the config is invalid, then the message reads as one line per variable and hides the values', () => {
    const error = problemsOf({ SIGNING_SECRET: 'too-short-secret-value', PORT: '3.5' });

    expect(error.message).toBe(
      [
        'Invalid configuration (2 problems):',
        '  - PORT: must be a whole number',
        '  - SIGNING_SECRET: Too small: expected string to have >=32 characters',
      ].join('\n'),
    );
    expect(error.message).not.toContain('too-short-secret-value');
  });
});
