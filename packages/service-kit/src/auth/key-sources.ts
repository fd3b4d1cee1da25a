import { createPublicKey, KeyObject } from 'node:crypto';
import { createRemoteJWKSet, errors, type CryptoKey, type JWK } from 'jose';
import { HttpError } from '../errors.js';
import { acceptedAlgorithms, invalidToken } from './access-token-claims.js';

/** A key in JWK form, as the users service publishes them. */
export type PublicJwk = JWK;

/** The part of a token's header that picks its key. */
export interface TokenHeader {
  alg?: unknown;
  kid?: unknown;
}

/**
 * Where the public keys that verify access tokens come from. Resolves with the PEM of the key
 * the header names, or rejects with HttpError 401 (no such key: the token is bad) or 503 (the
 * keys cannot be had right now: the token may be fine).
 */
export interface KeySource {
  publicKeyFor(header: TokenHeader): Promise<string>;
}

export interface JwksKeysOptions {
  /** The users service's JWKS endpoint, e.g. http://users:3001/users/.well-known/jwks.json. */
  url: string;
  /** How long the fetched key set is trusted before it is fetched again (default 10 min). */
  cacheMaxAgeMs?: number;
  /**
   * Least time between two fetches caused by key ids the set does not have (default 30 s), so a
   * flood of tokens naming made-up keys cannot make this service hammer the users service.
   */
  cooldownMs?: number;
  /** Longest wait for the endpoint (default 3 s); past it the request answers 503. */
  timeoutMs?: number;
}

/**
 * The users service's JWKS, fetched and cached whole by jose's remote key set. A token naming a
 * key id the set does not have triggers a fetch (at most one per cooldown), so a newly published
 * key is picked up without a restart: that is how signing keys rotate.
 */
export function jwksKeys(o: JwksKeysOptions): KeySource {
  const keySet = createRemoteJWKSet(new URL(o.url), {
    cacheMaxAge: o.cacheMaxAgeMs ?? 10 * 60_000,
    cooldownDuration: o.cooldownMs ?? 30_000,
    timeoutDuration: o.timeoutMs ?? 3_000,
  });
  return {
    async publicKeyFor(header) {
      const { alg, kid } = checkedHeader(header);
      let key: CryptoKey | KeyObject;
      try {
        key = await keySet({ alg, ...(kid === undefined ? {} : { kid }) });
      } catch (error) {
        throw keyFetchFailure(error);
      }
      return pemOfKey(key);
    },
  };
}

/** Keys at hand (the users service verifying its own tokens, tests). Private halves are dropped. */
export function localKeys(jwks: PublicJwk[]): KeySource {
  const keys = jwks.map(publicPart);
  return {
    async publicKeyFor(header) {
      const { alg, kid } = checkedHeader(header);
      const fitting = keys.filter((key) => (kid === undefined || key.kid === kid) && (key.alg === undefined || key.alg === alg));
      if (fitting.length !== 1) throw invalidToken('Invalid token');
      return pemOf(fitting[0]!);
    },
  };
}

/** Only asymmetric algorithms reach a key lookup: `none` and HS256-with-the-public-key never do. */
function checkedHeader(header: TokenHeader): { alg: string; kid: string | undefined } {
  const { alg, kid } = header;
  if (typeof alg !== 'string' || !acceptedAlgorithms.includes(alg)) throw invalidToken('Invalid token');
  if (kid !== undefined && (typeof kid !== 'string' || kid.length === 0 || kid.length > 200)) throw invalidToken('Invalid token');
  return { alg, kid };
}

function keyFetchFailure(error: unknown): HttpError {
  // The key set answered and has no such key (or several): the token names a key nobody published.
  if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys) return invalidToken('Invalid token', error);
  // Timeouts, an unreachable or broken endpoint: the token may be fine; the caller should retry later.
  return new HttpError(503, 'AUTH_UNAVAILABLE', 'Cannot verify tokens right now', undefined, { 'retry-after': '5' }, { cause: error });
}

const fetchedPems = new WeakMap<object, string>();

/** fast-jwt verifies with PEM; a fetched key is converted once. */
function pemOfKey(key: CryptoKey | KeyObject): string {
  let pem = fetchedPems.get(key);
  if (!pem) {
    const keyObject = key instanceof KeyObject ? key : KeyObject.from(key);
    pem = keyObject.export({ type: 'spki', format: 'pem' }).toString();
    fetchedPems.set(key, pem);
  }
  return pem;
}

const pems = new Map<string, string>();

/** fast-jwt verifies with PEM; converted once per key. */
function pemOf(jwk: PublicJwk): string {
  const id = JSON.stringify(jwk);
  let pem = pems.get(id);
  if (!pem) {
    try {
      pem = createPublicKey({ key: jwk as never, format: 'jwk' }).export({ type: 'spki', format: 'pem' }).toString();
    } catch (error) {
      throw invalidToken('Invalid token', error);
    }
    if (pems.size > 1000) pems.clear();
    pems.set(id, pem);
  }
  return pem;
}

/** A private JWK handed over by mistake must not turn into a signing-capable key here. */
function publicPart(jwk: PublicJwk): PublicJwk {
  if (jwk.kty === 'oct') throw new Error('symmetric keys cannot verify access tokens');
  const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, oth: _oth, ...publicJwk } = jwk;
  return publicJwk as PublicJwk;
}
