import type { OllamaSettings } from '../../src/integrations/ollama/ollama-settings.js';

/** Settings for a fake Ollama: quick timeouts, a fixed seed. */
export function settingsFor(host: string, overrides: Partial<OllamaSettings> = {}): OllamaSettings {
  return {
    host,
    model: 'llama3.2:1b',
    timeoutMs: 5_000,
    keepAlive: '10m',
    temperature: 0.7,
    seed: 42,
    numPredict: 2048,
    think: false,
    ...overrides,
  };
}

/** A model reply with these drafts. */
export function drafts(...texts: string[]): { drafts: Array<{ text: string }> } {
  return { drafts: texts.map((text) => ({ text })) };
}
