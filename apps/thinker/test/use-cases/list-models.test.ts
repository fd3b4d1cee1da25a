import { startFakeOllama, type FakeOllama } from '@trendcast/fakes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOllamaIntegration } from '../../src/integrations/ollama/index.js';
import { listModels } from '../../src/use-cases/list-models.js';
import { closedPort, recordingLogger } from '../support/fixtures.js';
import { settingsFor } from '../support/ollama.js';

let fake: FakeOllama;
beforeAll(async () => {
  fake = await startFakeOllama();
});
afterAll(() => fake.close());

function ollamaAt(host: string) {
  const integration = createOllamaIntegration(settingsFor(host));
  return { model: integration.settings.model, listModels: integration.listModels };
}

describe('listModels', () => {
  it('when Ollama is configured, then its pulled models and the offline generator are listed, the configured model first choice', async () => {
    const listing = await listModels({ ollama: ollamaAt(fake.url), logger: recordingLogger() });
    expect(listing.default).toBe('llama3.2:1b');
    expect(listing.models).toContainEqual({ name: 'qwen3:0.6b', source: 'ollama' });
    expect(listing.models.at(-1)).toEqual({ name: 'offline', source: 'offline' });
    expect(listing.ollamaError).toBeUndefined();
  });

  it('when Ollama is not configured, then only the offline generator is listed, and it is the default', async () => {
    expect(await listModels({ logger: recordingLogger() })).toEqual({ default: 'offline', models: [{ name: 'offline', source: 'offline' }] });
  });

  it('when Ollama is down, then the offline generator is still listed and the error says why', async () => {
    const logger = recordingLogger();
    const listing = await listModels({ ollama: ollamaAt(`http://127.0.0.1:${await closedPort()}`), logger });
    expect(listing.models).toEqual([{ name: 'offline', source: 'offline' }]);
    expect(listing.ollamaError).toMatch(/unreachable/u);
    expect(logger.entries.some((entry) => entry.level === 'warn')).toBe(true);
  });
});
