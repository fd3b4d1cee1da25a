import { z } from 'zod';
import { HttpError } from '../errors.js';

export const roles = ['user', 'admin'] as const;
export type Role = (typeof roles)[number];

/**
 * Who made an authenticated request: `id` is the token's `sub` (a user id, always a UUID),
 * `tokenId` its `jti`, `sessionId` its `sid` (the sign-in session, when the token names one).
 */
export interface AuthUser {
  id: string;
  role: Role;
  tokenId: string;
  sessionId?: string;
}

/**
 * Only asymmetric algorithms: a verifier that accepted HS256 could be fooled by a token "signed"
 * with the public key as HMAC secret, and `none` is never acceptable.
 */
export const acceptedAlgorithms = ['EdDSA', 'ES256', 'RS256'];

/**
 * The claims a verified token must carry beyond iss/aud/exp. `sub` must be a UUID: services put
 * it straight into uuid columns, where anything else would fail as a 500 instead of a 401.
 */
export const accessTokenClaimsSchema = z.object({
  sub: z.uuid(),
  jti: z.string().min(1).max(200),
  role: z.enum(roles),
  sid: z.string().min(1).max(200).optional(),
});

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
