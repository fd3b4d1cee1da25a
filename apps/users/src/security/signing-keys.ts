import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  randomBytes,
  type KeyObject,
} from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { z } from 'zod';

/** One Ed25519 key. Without a private half it is only published, so tokens it signed stay valid. */
export interface SigningKey {
  kid: string;
  publicKey: KeyObject;
  privateKey?: KeyObject;
}

export interface PublicJwk {
  kty: 'OKP';
  crv: 'Ed25519';
  x: string;
  kid: string;
  alg: 'EdDSA';
  use: 'sig';
}

export class SigningKeyError extends Error {
  override name = 'SigningKeyError';
}

export const kidPattern = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * The keys this service knows: it signs with the active one and publishes all of them, so a
 * new key can be published before it signs and an old one kept until its tokens have expired.
 */
export class SigningKeyRing {
  readonly active: { kid: string; privateKey: KeyObject };
  private readonly published: PublicJwk[];

  constructor(
    readonly keys: readonly SigningKey[],
    activeKid?: string,
  ) {
    if (keys.length === 0) throw new SigningKeyError('no signing keys');
    const kids = new Set<string>();
    for (const key of keys) {
      if (kids.has(key.kid)) throw new SigningKeyError(`two signing keys share the kid "${key.kid}"`);
      kids.add(key.kid);
    }
    const signers = keys.filter((key) => key.privateKey);
    let active: SigningKey | undefined;
    if (activeKid) {
      active = keys.find((key) => key.kid === activeKid);
      if (!active) throw new SigningKeyError(`JWT_ACTIVE_KID "${activeKid}" matches no configured key`);
      if (!active.privateKey) throw new SigningKeyError(`key "${activeKid}" has no private key and cannot sign`);
    } else if (signers.length === 1) {
      active = signers[0];
    } else if (signers.length === 0) {
      throw new SigningKeyError('no configured key has a private key to sign with');
    } else {
      throw new SigningKeyError('several keys can sign: set JWT_ACTIVE_KID to choose one');
    }
    this.active = { kid: active!.kid, privateKey: active!.privateKey! };
    this.published = keys.map(publicJwk);
  }

  /** The JSON Web Key Set served at /.well-known/jwks.json: public halves only. */
  jwks(): { keys: PublicJwk[] } {
    return { keys: this.published.map((jwk) => ({ ...jwk })) };
  }
}

function publicJwk(key: SigningKey): PublicJwk {
  const { x } = key.publicKey.export({ format: 'jwk' });
  if (!x) throw new SigningKeyError(`key "${key.kid}" has no public value`);
  return { kty: 'OKP', crv: 'Ed25519', x, kid: key.kid, alg: 'EdDSA', use: 'sig' };
}

function assertEd25519(key: KeyObject, kid: string): void {
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new SigningKeyError(`key "${kid}" is ${key.asymmetricKeyType ?? 'not asymmetric'}, expected ed25519`);
  }
}

const jwkEntrySchema = z.object({
  kty: z.literal('OKP'),
  crv: z.literal('Ed25519'),
  kid: z.string().regex(kidPattern, 'kid must be 1-64 characters of A-Z a-z 0-9 . _ -'),
  x: z.string().min(1),
  d: z.string().min(1).optional(),
});

/** A JWK (OKP / Ed25519, with `kid`, with `d` to sign) as a key. */
export function keyFromJwk(input: unknown): SigningKey {
  const parsed = jwkEntrySchema.safeParse(input);
  if (!parsed.success) {
    throw new SigningKeyError(`invalid signing key JWK: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
  }
  const { kid, ...jwk } = parsed.data;
  try {
    if (jwk.d) {
      const privateKey = createPrivateKey({ key: jwk, format: 'jwk' });
      assertEd25519(privateKey, kid);
      const publicKey = createPublicKey(privateKey);
      if (publicKey.export({ format: 'jwk' }).x !== jwk.x) {
        throw new SigningKeyError(`key "${kid}": x does not match the private key`);
      }
      return { kid, privateKey, publicKey };
    }
    const publicKey = createPublicKey({ key: { kty: jwk.kty, crv: jwk.crv, x: jwk.x }, format: 'jwk' });
    assertEd25519(publicKey, kid);
    return { kid, publicKey };
  } catch (error) {
    if (error instanceof SigningKeyError) throw error;
    throw new SigningKeyError(`key "${kid}" cannot be read: ${(error as Error).message}`);
  }
}

/** JWT_SIGNING_KEYS: a JSON array of JWKs (or one JWK). */
export function parseSigningKeysJson(text: string): SigningKey[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new SigningKeyError('JWT_SIGNING_KEYS is not valid JSON');
  }
  return (Array.isArray(value) ? value : [value]).map(keyFromJwk);
}

/** A PEM key: PKCS#8 private (signs and is published) or SPKI public (only published). */
export function keyFromPem(kid: string, pem: string): SigningKey {
  if (!kidPattern.test(kid)) throw new SigningKeyError(`"${kid}" is not a valid kid`);
  try {
    if (pem.includes('PRIVATE KEY')) {
      const privateKey = createPrivateKey(pem);
      assertEd25519(privateKey, kid);
      return { kid, privateKey, publicKey: createPublicKey(privateKey) };
    }
    const publicKey = createPublicKey(pem);
    assertEd25519(publicKey, kid);
    return { kid, publicKey };
  } catch (error) {
    if (error instanceof SigningKeyError) throw error;
    throw new SigningKeyError(`key "${kid}" cannot be read: ${(error as Error).message}`);
  }
}

/** Every `<kid>.pem` file in a directory, in name order. */
export function readKeysDirectory(dir: string): SigningKey[] {
  if (!existsSync(dir)) throw new SigningKeyError(`keys directory ${dir} does not exist`);
  return readdirSync(dir)
    .filter((name) => name.endsWith('.pem'))
    .sort()
    .map((name) => keyFromPem(basename(name, '.pem'), readFileSync(join(dir, name), 'utf8')));
}

export interface GeneratedKey {
  key: SigningKey;
  /** PKCS#8 PEM of the private key. */
  pem: string;
  /** The private JWK with its kid, as JWT_SIGNING_KEYS takes it. */
  jwk: Record<string, string>;
}

/** A fresh Ed25519 key; the default kid is dated so an operator sees which key is newer. */
export function generateSigningKey(kid = `${new Date().toISOString().slice(0, 10)}-${randomBytes(3).toString('hex')}`): GeneratedKey {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const jwk = privateKey.export({ format: 'jwk' });
  return {
    key: { kid, privateKey, publicKey },
    pem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    jwk: { kty: 'OKP', crv: 'Ed25519', kid, x: jwk.x!, d: jwk.d! },
  };
}

export interface KeySources {
  /** JWT_SIGNING_KEYS */
  json?: string;
  /** JWT_KEYS_DIR */
  dir?: string;
  /** JWT_ACTIVE_KID */
  activeKid?: string;
  production: boolean;
  /** Where a development key is generated and kept when nothing is configured. */
  devKeysDir: string;
  warn: (message: string) => void;
}

/**
 * The keys from configuration. In production missing keys are fatal; in development a key is
 * generated once under `devKeysDir` and reused, so tokens survive restarts.
 */
export function loadSigningKeys(sources: KeySources): SigningKeyRing {
  const keys: SigningKey[] = [];
  if (sources.json) keys.push(...parseSigningKeysJson(sources.json));
  if (sources.dir) keys.push(...readKeysDirectory(sources.dir));
  if (keys.length > 0) return new SigningKeyRing(keys, sources.activeKid);
  if (sources.production) {
    throw new SigningKeyError('no signing keys configured: set JWT_SIGNING_KEYS or JWT_KEYS_DIR (required in production)');
  }
  return new SigningKeyRing(developmentKeys(sources.devKeysDir, sources.warn), sources.activeKid);
}

function developmentKeys(dir: string, warn: (message: string) => void): SigningKey[] {
  const existing = existsSync(dir) ? readKeysDirectory(dir) : [];
  if (existing.length > 0) {
    warn(`signing access tokens with the development key in ${dir}; configure JWT_SIGNING_KEYS or JWT_KEYS_DIR outside development`);
    return existing;
  }
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const generated = generateSigningKey(`dev-${randomBytes(4).toString('hex')}`);
  const file = join(dir, `${generated.key.kid}.pem`);
  writeFileSync(file, generated.pem, { mode: 0o600 });
  chmodSync(file, 0o600);
  warn(`generated a development signing key in ${file}; configure JWT_SIGNING_KEYS or JWT_KEYS_DIR outside development`);
  return [generated.key];
}
