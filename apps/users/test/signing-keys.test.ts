import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadUsersConfig } from '../src/config.js';
import { generateSigningKey, loadSigningKeys, parseSigningKeysJson, SigningKeyError } from '../src/security/signing-keys.js';

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'users-keys-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const warnings: string[] = [];
const base = { production: false, warn: (m: string) => warnings.push(m) };

describe('signing keys from configuration', () => {
  it('when JWT_SIGNING_KEYS holds one private JWK, then it signs and is published', () => {
    const { jwk } = generateSigningKey('only');

    const ring = loadSigningKeys({ ...base, json: JSON.stringify([jwk]), devKeysDir: tempDir() });

    expect(ring.active.kid).toBe('only');
    expect(ring.jwks().keys).toEqual([{ kty: 'OKP', crv: 'Ed25519', x: jwk.x, kid: 'only', alg: 'EdDSA', use: 'sig' }]);
  });

  it('when two keys can sign and none is chosen, then it refuses; JWT_ACTIVE_KID chooses', () => {
    const json = JSON.stringify([generateSigningKey('a').jwk, generateSigningKey('b').jwk]);

    expect(() => loadSigningKeys({ ...base, json, devKeysDir: tempDir() })).toThrow(/JWT_ACTIVE_KID/);
    const ring = loadSigningKeys({ ...base, json, activeKid: 'b', devKeysDir: tempDir() });
    expect(ring.active.kid).toBe('b');
    expect(ring.jwks().keys.map((k) => k.kid)).toEqual(['a', 'b']);
  });

  it('when a retired key is kept public only, then it is published but cannot be made active', () => {
    const retired = generateSigningKey('old').jwk;
    const { d: _d, ...publicOnly } = retired;
    const json = JSON.stringify([publicOnly, generateSigningKey('new').jwk]);

    const ring = loadSigningKeys({ ...base, json, devKeysDir: tempDir() });

    expect(ring.active.kid).toBe('new');
    expect(ring.jwks().keys.map((k) => k.kid)).toEqual(['old', 'new']);
    expect(() => loadSigningKeys({ ...base, json, activeKid: 'old', devKeysDir: tempDir() })).toThrow(/cannot sign/);
  });

  it('when a key is not Ed25519, its x does not match, or kids repeat, then it refuses', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' });
    const a = generateSigningKey('a').jwk;
    const b = generateSigningKey('b').jwk;

    expect(() => parseSigningKeysJson(JSON.stringify([{ ...rsa, kid: 'r' }]))).toThrow(SigningKeyError);
    expect(() => parseSigningKeysJson(JSON.stringify([{ ...a, x: b.x }]))).toThrow(/does not match/);
    expect(() => loadSigningKeys({ ...base, json: JSON.stringify([a, { ...b, kid: 'a' }]), devKeysDir: tempDir() })).toThrow(/share/);
    expect(() => parseSigningKeysJson('not json')).toThrow(/not valid JSON/);
  });

  it('when JWT_KEYS_DIR holds PEM files, then each file is a key named by its file', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'k1.pem'), generateSigningKey().pem);

    const ring = loadSigningKeys({ ...base, dir, devKeysDir: tempDir() });

    expect(ring.active.kid).toBe('k1');
  });

  it('when nothing is configured in production, then it refuses to start', () => {
    const devKeysDir = join(tempDir(), 'keys');

    expect(() => loadSigningKeys({ ...base, production: true, devKeysDir })).toThrow(/required in production/);
  });

  it('when nothing is configured in development, then a key is generated once, kept private on disk, and reused', () => {
    const devKeysDir = join(tempDir(), 'keys');
    warnings.length = 0;

    const first = loadSigningKeys({ ...base, devKeysDir });
    const second = loadSigningKeys({ ...base, devKeysDir });

    expect(second.active.kid).toBe(first.active.kid);
    expect(second.jwks()).toEqual(first.jwks());
    const files = readdirSync(devKeysDir);
    expect(files).toEqual([`${first.active.kid}.pem`]);
    expect(statSync(join(devKeysDir, files[0]!)).mode & 0o077).toBe(0);
    expect(warnings[0]).toMatch(/generated a development signing key/);
  });
});

describe('configuration', () => {
  it('when the environment is empty, then the defaults suit local development', () => {
    const config = loadUsersConfig({});

    expect(config).toMatchObject({
      PORT: 3001,
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/users',
      PUBLIC_BASE_URL: 'http://localhost:8080',
      ACCESS_TOKEN_TTL_SECONDS: 900,
      TRUST_PROXY: false,
    });
  });

  it('when only one of ADMIN_EMAIL and ADMIN_PASSWORD is set, then it names the missing one', () => {
    expect(() => loadUsersConfig({ ADMIN_EMAIL: 'root@example.org' })).toThrow(/ADMIN_PASSWORD/);
  });

  it('when ADMIN_EMAIL is given in another case, then it is normalised like any login', () => {
    expect(loadUsersConfig({ ADMIN_EMAIL: ' Root@Example.ORG ', ADMIN_PASSWORD: 'x'.repeat(12) }).ADMIN_EMAIL).toBe('root@example.org');
  });
});
