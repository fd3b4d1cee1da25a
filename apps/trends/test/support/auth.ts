import { localKeys, type KeySource } from '@trendcast/service-kit';
import { createTestTokenSigner, type TestTokenSigner } from '@trendcast/testing';

/** Signs access tokens as the users service does (EdDSA); the service verifies them with the public key only. */
export interface TestAuth extends TestTokenSigner {
  /** The public key, for the service to verify with in place of the users service's JWKS. */
  keys: KeySource;
}

export async function createTestAuth(): Promise<TestAuth> {
  const signer = await createTestTokenSigner();
  return { ...signer, keys: localKeys([signer.publicJwk]) };
}
