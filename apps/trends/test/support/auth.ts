import { randomUUID } from 'node:crypto';
import { localKeys, type KeySource } from '@trendcast/service-kit';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';

const issuer = 'trendcast-users';
const audience = 'trendcast';

/** Signs access tokens as the users service does (EdDSA), and verifies them with the public key only. */
export interface TestAuth {
  /** The public key, for the service to verify with in place of the users service's JWKS. */
  keys: KeySource;
  tokenFor(userId: string, role?: 'user' | 'admin'): Promise<string>;
  headersFor(userId: string): Promise<{ authorization: string }>;
}

export async function createTestAuth(): Promise<TestAuth> {
  const { privateKey, publicKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
  const publicJwk = { ...(await exportJWK(publicKey)), kid: 'test-key', alg: 'EdDSA', use: 'sig' };
  const keys = localKeys([publicJwk]);
  const tokenFor = (userId: string, role: 'user' | 'admin' = 'user') => sign(privateKey, userId, role);
  return {
    keys,
    tokenFor,
    headersFor: async (userId) => ({ authorization: `Bearer ${await tokenFor(userId)}` }),
  };
}

function sign(key: CryptoKey, userId: string, role: string): Promise<string> {
  return new SignJWT({ role })
    .setProtectedHeader({ alg: 'EdDSA', kid: 'test-key' })
    .setIssuer(issuer)
    .setAudience(audience)
    .setSubject(userId)
    .setJti(randomUUID())
    .setIssuedAt()
    .setExpirationTime('10m')
    .sign(key);
}
