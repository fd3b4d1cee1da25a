import { ConfigError, loadConfig } from '@trendcast/service-kit';
import { describe, expect, it } from 'vitest';
import { generationConfigSchema, generationSettings } from '../src/generation-config.js';

const load = (env: Record<string, string>) => generationSettings(loadConfig(generationConfigSchema, env));

describe('generation config', () => {
  it('when nothing is set, then there is no model (offline) and the policy has its defaults', () => {
    expect(load({})).toEqual({
      ollama: undefined,
      policy: { maxRounds: 3, modelAttempts: 3, retryBaseMs: 1_000, retryMaxMs: 30_000, onModelFailure: 'fallback' },
    });
    expect(load({ OLLAMA_HOST: '' }).ollama).toBeUndefined();
  });

  it('when OLLAMA_HOST is set, then the Ollama settings come with their defaults', () => {
    expect(load({ OLLAMA_HOST: 'http://127.0.0.1:11434' }).ollama).toEqual({
      host: 'http://127.0.0.1:11434',
      model: 'llama3.2:3b',
      timeoutMs: 120_000,
      keepAlive: '5m',
      temperature: 0.7,
      seed: undefined,
      numPredict: 2048,
      think: false,
    });
  });

  it('when every variable is set, then each reaches its setting (keep-alive in whole seconds becomes a number)', () => {
    const settings = load({
      OLLAMA_HOST: 'https://ollama.internal',
      OLLAMA_MODEL: 'qwen3:4b',
      OLLAMA_TIMEOUT_MS: '30000',
      OLLAMA_KEEP_ALIVE: '600',
      OLLAMA_TEMPERATURE: '0.2',
      OLLAMA_SEED: '7',
      OLLAMA_NUM_PREDICT: '512',
      OLLAMA_THINK: 'low',
      OLLAMA_MAX_ATTEMPTS: '5',
      OLLAMA_RETRY_BASE_MS: '200',
      OLLAMA_RETRY_MAX_MS: '5000',
      OLLAMA_FAILURE_POLICY: 'fail',
      GENERATION_MAX_ATTEMPTS: '2',
    });
    expect(settings).toEqual({
      ollama: { host: 'https://ollama.internal', model: 'qwen3:4b', timeoutMs: 30_000, keepAlive: 600, temperature: 0.2, seed: 7, numPredict: 512, think: 'low' },
      policy: { maxRounds: 2, modelAttempts: 5, retryBaseMs: 200, retryMaxMs: 5_000, onModelFailure: 'fail' },
    });
    expect(load({ OLLAMA_HOST: 'http://x:1', OLLAMA_THINK: 'true', OLLAMA_KEEP_ALIVE: '1h30m' }).ollama).toMatchObject({ think: true, keepAlive: '1h30m' });
  });

  it('when values are wrong, then loading fails naming each variable', () => {
    const error = (() => {
      try {
        load({ OLLAMA_HOST: 'ollama:11434', OLLAMA_KEEP_ALIVE: 'soon', OLLAMA_TEMPERATURE: '3', OLLAMA_THINK: 'maybe', OLLAMA_FAILURE_POLICY: 'retry', GENERATION_MAX_ATTEMPTS: '0' });
      } catch (caught) {
        return caught;
      }
      throw new Error('expected the config to be refused');
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems.map((problem) => problem.variable).sort()).toEqual([
      'GENERATION_MAX_ATTEMPTS',
      'OLLAMA_FAILURE_POLICY',
      'OLLAMA_HOST',
      'OLLAMA_KEEP_ALIVE',
      'OLLAMA_TEMPERATURE',
      'OLLAMA_THINK',
    ]);
  });
});
