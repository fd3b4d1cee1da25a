#!/usr/bin/env node
// Writes .env for `docker compose up` from .env.example, filling every empty secret with a fresh one:
//
//   node scripts/init-env.mjs [--out .env] [--force]
//
// JWT_SIGNING_KEYS (an Ed25519 private JWK, as `npm run keys:generate -w @trendcast/users` prints),
// MONITOR_SESSION_SECRET, CREDENTIALS_KEYS (one 32-byte key), GRAFANA_ADMIN_PASSWORD, MAILDEV_WEB_PASS
// and the internal servers' passwords. Values already set in .env.example are kept. An existing .env
// is never overwritten without --force (its secrets would be lost: tokens, stored credentials).
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({ options: { out: { type: 'string', default: join(repoRoot, '.env') }, force: { type: 'boolean', default: false } } });

const token = (bytes = 32) => randomBytes(bytes).toString('base64url');
function signingKeys() {
  const kid = `${new Date().toISOString().slice(0, 10)}-${randomBytes(3).toString('hex')}`;
  const jwk = generateKeyPairSync('ed25519').privateKey.export({ format: 'jwk' });
  return JSON.stringify([{ kty: 'OKP', crv: 'Ed25519', kid, x: jwk.x, d: jwk.d }]);
}

/** Generators of the variables left empty in .env.example that must not stay empty or default. */
const generated = {
  JWT_SIGNING_KEYS: signingKeys,
  MONITOR_SESSION_SECRET: () => token(32),
  CREDENTIALS_KEYS: () => JSON.stringify([{ id: 'k1', key: randomBytes(32).toString('base64') }]),
  GRAFANA_ADMIN_PASSWORD: () => token(18),
  MAILDEV_WEB_PASS: () => token(18),
  USERS_DB_PASSWORD: () => token(18),
  TRENDS_DB_PASSWORD: () => token(18),
  THINKER_DB_PASSWORD: () => token(18),
  TWEETER_DB_PASSWORD: () => token(18),
  RABBITMQ_PASSWORD: () => token(18),
};

const out = resolve(values.out);
if (existsSync(out) && !values.force) {
  console.error(`init-env: ${out} exists; keeping it (--force writes a new one, and its old secrets are lost)`);
  process.exit(1);
}
const filled = [];
const lines = readFileSync(join(repoRoot, '.env.example'), 'utf8')
  .split('\n')
  .map((line) => {
    const match = /^([A-Z_]+)=$/.exec(line);
    const make = match && generated[match[1]];
    if (!make) return line;
    filled.push(match[1]);
    // Single quotes: compose takes the value as it is (JSON keeps its double quotes).
    return `${match[1]}='${make()}'`;
  });
writeFileSync(out, lines.join('\n'), { mode: 0o600 });
console.error(`init-env: wrote ${out} with fresh ${filled.join(', ')}`);
