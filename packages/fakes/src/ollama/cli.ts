// A local stand-in for Ollama, for offline runs:
//   npm run fake-ollama -w @trendcast/fakes -- --port 11434 [--host 127.0.0.1] [--delay-ms 0] [--chunk-delay-ms 0]
//   OLLAMA_HOST=http://127.0.0.1:11434 OLLAMA_MODEL=llama3.2:1b npm start -w @trendcast/thinker
// It answers every chat and generate call with text that conforms to the request's JSON Schema.
import { parseArgs } from 'node:util';
import { defaultFakeModels } from './models.js';
import { startFakeOllama } from './fake-ollama.js';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '11434' },
    host: { type: 'string', default: '127.0.0.1' },
    'delay-ms': { type: 'string', default: '0' },
    'chunk-delay-ms': { type: 'string', default: '0' },
    help: { type: 'boolean', default: false },
  },
});

if (values.help) {
  console.log('usage: fake-ollama [--port 11434] [--host 127.0.0.1] [--delay-ms 0] [--chunk-delay-ms 0]');
  process.exit(0);
}

const fake = await startFakeOllama({
  port: wholeNumber('port', values.port),
  host: values.host,
  delayMs: wholeNumber('delay-ms', values['delay-ms']),
  chunkDelayMs: wholeNumber('chunk-delay-ms', values['chunk-delay-ms']),
});
console.log(`fake Ollama on ${fake.url} with models: ${defaultFakeModels.map((model) => model.name).join(', ')}`);

const stop = () => void fake.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

function wholeNumber(name: string, value: string): number {
  if (!/^\d+$/u.test(value)) {
    console.error(`--${name} must be a whole number, got ${JSON.stringify(value)}`);
    process.exit(2);
  }
  return Number(value);
}
