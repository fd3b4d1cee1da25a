import { decodeJwt } from 'jose';
import { createTokenVerifier, type AuthUser, type TokenVerifier } from '@trendcast/service-kit';
import type { SigningKeyRing } from '../security/signing-keys.js';

export interface SessionAuthUser extends AuthUser {
  sessionId?: string;
}

/**
 * The shared verifier, fed this service's own public keys (no JWKS round trip to itself), plus
 * the token's session id, which password changes need to keep the asking session signed in.
 */
export function createUsersTokenVerifier(keys: SigningKeyRing, o: { issuer: string; audience: string }): TokenVerifier {
  const verifier = createTokenVerifier({ keys: keys.jwks().keys, issuer: o.issuer, audience: o.audience });
  return {
    async verify(token): Promise<SessionAuthUser> {
      const user = await verifier.verify(token);
      // Read only after the signature checked out.
      const { sid } = decodeJwt(token);
      return typeof sid === 'string' ? { ...user, sessionId: sid } : user;
    },
  };
}
