import { ConfigError } from '@trendcast/service-kit';
import { describe, expect, it } from 'vitest';
import { loadThinkerConfig } from '../src/config.js';

describe('thinker config', () => {
  it('when nothing is set, then every variable has a working local default', () => {
    expect(loadThinkerConfig({})).toMatchObject({
      PORT: 3003,
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/thinker',
      THINKER_RUN_API: true,
      THINKER_RUN_WORKER: true,
      THINKER_REDIS_PREFIX: 'bull',
      SENTIMENT_SCORER: 'offline',
      APPROVAL_NEGATIVE_THRESHOLD: 0.5,
      USER_MAX_GENERATIONS_IN_FLIGHT: 5,
      OLLAMA_HOST: '',
      OLLAMA_FAILURE_POLICY: 'fallback',
    });
  });

  it('when a variable is out of range or misspelt, then loading fails naming it', () => {
    for (const [name, value] of [
      ['APPROVAL_NEGATIVE_THRESHOLD', '1.5'],
      ['SENTIMENT_SCORER', 'vader'],
      ['THINKER_RUN_WORKER', 'yes please'],
      ['THINKER_REDIS_PREFIX', 'has space'],
      ['USER_MAX_GENERATIONS_IN_FLIGHT', '0'],
    ] as const) {
      expect(() => loadThinkerConfig({ [name]: value }), name).toThrow(ConfigError);
      expect(() => loadThinkerConfig({ [name]: value }), name).toThrow(name);
    }
  });
});
