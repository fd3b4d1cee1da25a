import { createLocalJWKSet, createRemoteJWKSet, errors, jwtVerify, type JWK, type JWTVerifyGetKey } from 'jose';
import { z } from 'zod';
import { HttpError } from '../errors.js';

export const roles = ['user', 'admin'] as const;
export type Role = (typeof roles)[number];

/** Who made an authenticated request: `id` is the token's sub, `tokenId` its jti (for revocation). */
export interface AuthUser {
  id: string;
  role: Role;
  tokenId: string;
}

export interface TokenVerifier {
  /** Resolves with the token's user, or rejects with an HttpError (401 invalid token, 503 keys unreachable). */
  verify(token: string): Promise<AuthUser>;
}

export interface TokenVerifierOptions {
  /** The users service's JWKS endpoint; keys are cached and re-fetched when an unknown kid shows up. */
  jwksUrl?: string;
  /** Public keys to use instead of fetching (tests, or a key shipped with the config). */
  keys?: JWK[];
  issuer: string;
  audience: string;
  /** Allowed clock skew between services for exp/nbf/iat. */
  clockToleranceSeconds?: number;
  /** How long fetched keys are trusted before a refresh. */
  jwksCacheMaxAgeMs?: number;
  /** Minimum time between two fetches triggered by unknown key ids (stops a flood of bad tokens hammering users). */
  jwksCooldownMs?: number;
  jwksTimeoutMs?: number;
}

/**
 * Only asymmetric algorithms: a verifier that accepted HS256 could be fooled by a token "signed"
 * with the public key as HMAC secret, and `none` is never acceptable.
 */
export const acceptedAlgorithms = ['EdDSA', 'ES256', 'RS256'];

const claimsSchema = z.object({
  sub: z.string().min(1).max(200),
  jti: z.string().min(1).max(200),
  role: z.enum(roles),
});

/** The reasons a token itself is bad (as opposed to the keys being unreachable). */
const invalidTokenCodes = new Set([
  errors.JWTExpired.code,
  errors.JWTClaimValidationFailed.code,
  errors.JWSSignatureVerificationFailed.code,
  errors.JOSEAlgNotAllowed.code,
  errors.JOSENotSupported.code,
  errors.JWSInvalid.code,
  errors.JWTInvalid.code,
  errors.JWKSNoMatchingKey.code,
  errors.JWKSMultipleMatchingKeys.code,
]);

export function invalidToken(description: string, cause?: unknown): HttpError {
  return new HttpError(
    401,
    'UNAUTHENTICATED',
    description,
    undefined,
    { 'www-authenticate': `Bearer realm="trendcast", error="invalid_token", error_description="${description}"` },
    { cause },
  );
}

export function createTokenVerifier(o: TokenVerifierOptions): TokenVerifier {
  const getKey = keyResolver(o);
  const verifyOptions = {
    issuer: o.issuer,
    audience: o.audience,
    algorithms: acceptedAlgorithms,
    clockTolerance: o.clockToleranceSeconds ?? 5,
    requiredClaims: ['exp', 'sub', 'jti'],
  };

  return {
    async verify(token) {
      let payload: unknown;
      try {
        ({ payload } = await jwtVerify(token, getKey, verifyOptions));
      } catch (error) {
        throw classify(error);
      }
      const claims = claimsSchema.safeParse(payload);
      if (!claims.success) throw invalidToken('Invalid token', claims.error);
      return { id: claims.data.sub, role: claims.data.role, tokenId: claims.data.jti };
    },
  };
}

function keyResolver(o: TokenVerifierOptions): JWTVerifyGetKey {
  if (o.keys) return createLocalJWKSet({ keys: o.keys.map(publicPart) });
  if (o.jwksUrl) {
    return createRemoteJWKSet(new URL(o.jwksUrl), {
      cacheMaxAge: o.jwksCacheMaxAgeMs ?? 10 * 60_000,
      cooldownDuration: o.jwksCooldownMs ?? 30_000,
      timeoutDuration: o.jwksTimeoutMs ?? 3_000,
    });
  }
  throw new Error('createTokenVerifier needs jwksUrl or keys');
}

/** A private JWK handed over by mistake must not turn into a signing-capable key here. */
function publicPart(jwk: JWK): JWK {
  if (jwk.kty === 'oct') throw new Error('symmetric keys cannot verify access tokens');
  const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, oth: _oth, ...publicJwk } = jwk;
  return publicJwk;
}

function classify(error: unknown): HttpError {
  if (error instanceof errors.JWTExpired) return invalidToken('Token expired', error);
  if (error instanceof errors.JOSEError && invalidTokenCodes.has(error.code)) return invalidToken('Invalid token', error);
  // Timeouts, unreachable or broken JWKS endpoint: the token may be fine; the caller should retry later.
  return new HttpError(503, 'AUTH_UNAVAILABLE', 'Cannot verify tokens right now', undefined, { 'retry-after': '5' }, {
    cause: error,
  });
}
