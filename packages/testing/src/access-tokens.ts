import { randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';

/**
 * Signs access tokens the way the users service does (EdDSA, its issuer and audience, a kid), so a
 * service under test can verify them with the public key alone: pass `localKeys([signer.publicJwk])`
 * from the service kit in place of the users service's JWKS.
 */
export interface TestTokenSigner {
  publicJwk: JWK;
  tokenFor(userId: string, role?: 'user' | 'admin'): Promise<string>;
  headersFor(userId: string, role?: 'user' | 'admin'): Promise<{ authorization: string }>;
}

export async function createTestTokenSigner(o: { issuer?: string; audience?: string; kid?: string } = {}): Promise<TestTokenSigner> {
  const issuer = o.issuer ?? 'trendcast-users';
  const audience = o.audience ?? 'trendcast';
  const kid = o.kid ?? 'test-key';
  const { privateKey, publicKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: 'EdDSA', use: 'sig' };
  const tokenFor = (userId: string, role: 'user' | 'admin' = 'user') => sign(privateKey, { userId, role, issuer, audience, kid });
  return {
    publicJwk,
    tokenFor,
    headersFor: async (userId, role) => ({ authorization: `Bearer ${await tokenFor(userId, role)}` }),
  };
}

function sign(key: CryptoKey, o: { userId: string; role: string; issuer: string; audience: string; kid: string }): Promise<string> {
  return new SignJWT({ role: o.role })
    .setProtectedHeader({ alg: 'EdDSA', kid: o.kid })
    .setIssuer(o.issuer)
    .setAudience(o.audience)
    .setSubject(o.userId)
    .setJti(randomUUID())
    .setIssuedAt()
    .setExpirationTime('10m')
    .sign(key);
}
