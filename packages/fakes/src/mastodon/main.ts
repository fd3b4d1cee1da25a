import { parseArgs } from 'node:util';
import { startFakeMastodon } from './fake-mastodon.js';

// A fake Mastodon for offline runs: `npm run fake-mastodon -w @trendcast/fakes -- --port 4000`.
const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '4000' },
    host: { type: 'string', default: '127.0.0.1' },
    'max-characters': { type: 'string', default: '500' },
    username: { type: 'string', default: 'trendcast' },
    help: { type: 'boolean', default: false },
  },
});

if (values.help) {
  console.log(`Usage: fake-mastodon [--port 4000] [--host 127.0.0.1] [--max-characters 500] [--username trendcast]

Serves the parts of Mastodon's API Trendcast uses (apps, OAuth, verify_credentials, /api/v2/instance,
statuses with Idempotency-Key) on plain HTTP. Prints a ready user token for the account.`);
  process.exit(0);
}

const port = Number(values.port);
const maxCharacters = Number(values['max-characters']);
if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error('--port must be a whole number between 0 and 65535');
if (!Number.isInteger(maxCharacters) || maxCharacters < 1) throw new Error('--max-characters must be a positive whole number');

const fake = await startFakeMastodon({ port, host: values.host, maxCharacters, accounts: [values.username] });
const token = fake.issueToken(values.username);
console.log(`fake Mastodon listening on ${fake.origin} (account @${values.username}, ${maxCharacters} characters per status)`);
console.log(`user token for @${values.username}: ${token}`);
console.log('Tweeter reaches it only with OUTBOUND_ALLOW_HTTP=true and OUTBOUND_ALLOW_PRIVATE_ADDRESSES=true.');

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void fake.close().then(() => process.exit(0));
  });
}
