import { randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';

export interface SigningKey {
  kid: string;
  alg: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

export async function createSigningKey(kid: string, alg: 'EdDSA' | 'ES256' | 'RS256' = 'EdDSA'): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, {
    crv: alg === 'EdDSA' ? 'Ed25519' : undefined,
    extractable: true,
  });
  return { kid, alg, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' } };
}

export const issuer = 'trendcast-users';
/** User ids are UUIDs; a token's `sub` names one. */
export const userIds = {
  default: '00000000-0000-4000-8000-000000000001',
  another: '00000000-0000-4000-8000-000000000042',
  boss: '00000000-0000-4000-8000-0000000000b5',
} as const;
export const audience = 'trendcast';

/** Signs an access token like the users service does; overrides let a test break one thing at a time. */
export async function signToken(
  key: SigningKey,
  o: { sub?: string; role?: string; jti?: string | null; iss?: string; aud?: string; expiresAt?: number; claims?: object } = {},
): Promise<string> {
  const jwt = new SignJWT({ role: o.role ?? 'user', ...(o.claims ?? {}) })
    .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'JWT' })
    .setSubject(o.sub ?? userIds.default)
    .setIssuer(o.iss ?? issuer)
    .setAudience(o.aud ?? audience)
    .setIssuedAt()
    .setExpirationTime(o.expiresAt ?? Math.floor(Date.now() / 1000) + 900);
  if (o.jti !== null) jwt.setJti(o.jti ?? randomUUID());
  return jwt.sign(key.privateKey);
}
