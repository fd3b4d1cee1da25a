import { decodeJwt } from 'jose';
import { createTokenVerifier, type AuthUser, type TokenVerifier } from '@trendcast/service-kit';
import type { SigningKeyRing } from '../security/signing-keys.js';

export interface SessionAuthUser extends AuthUser {
  sessionId?: string;
}

export interface UsersTokenVerifierOptions {
  issuer: string;
  audience: string;
  /** Verified tokens remembered (by their exact text) until they expire; 0 turns the cache off. */
  cacheSize?: number;
  /** Allowed clock skew for exp/iat; the shared verifier's default when unset. */
  clockToleranceSeconds?: number;
}

/**
 * The shared verifier, fed this service's own public keys (no JWKS round trip to itself), plus
 * the token's session id, which password changes need to keep the asking session signed in.
 *
 * A client sends the same access token with every request for its whole lifetime, and the
 * signature check dominates a cheap request's cost. So a token that verified is remembered by
 * its exact text until its `exp`: the same bytes would verify the same way again (keys only
 * change with a restart, and access tokens are not revocable anyway). Only successes are kept.
 */
export function createUsersTokenVerifier(keys: SigningKeyRing, o: UsersTokenVerifierOptions): TokenVerifier {
  const verifier = createTokenVerifier({
    keys: keys.jwks().keys,
    issuer: o.issuer,
    audience: o.audience,
    ...(o.clockToleranceSeconds !== undefined ? { clockToleranceSeconds: o.clockToleranceSeconds } : {}),
  });
  const cacheSize = o.cacheSize ?? 10_000;
  const verified = new Map<string, { user: SessionAuthUser; expiresAtMs: number }>();

  return {
    async verify(token): Promise<SessionAuthUser> {
      const cached = verified.get(token);
      if (cached && cached.expiresAtMs > Date.now()) return cached.user;
      if (cached) verified.delete(token);

      const user = await verifier.verify(token);
      // Read only after the signature checked out.
      const { sid, exp } = decodeJwt(token);
      const result: SessionAuthUser = typeof sid === 'string' ? { ...user, sessionId: sid } : user;
      if (cacheSize > 0 && typeof exp === 'number') {
        // Map keeps insertion order: when full, drop the oldest entry.
        if (verified.size >= cacheSize) verified.delete(verified.keys().next().value!);
        verified.set(token, { user: result, expiresAtMs: exp * 1000 });
      }
      return result;
    },
  };
}
