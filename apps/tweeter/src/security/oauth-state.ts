import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { CredentialDecryptError, type CredentialCipher } from './credential-cipher.js';

/** What travels through the browser and the instance while a Mastodon account is being connected. */
export interface AuthorizationRequest {
  userId: string;
  instanceUrl: string;
  channelName: string;
  /** The PKCE verifier: inside the encrypted state, so whoever sees the redirect cannot redeem the code. */
  codeVerifier: string;
}

export type OAuthStateErrorCode = 'STATE_INVALID' | 'STATE_EXPIRED' | 'STATE_OTHER_BROWSER';

export class OAuthStateError extends Error {
  override readonly name = 'OAuthStateError';
  constructor(
    readonly code: OAuthStateErrorCode,
    message: string,
  ) {
    super(message);
  }
}

const stateContext = 'oauth-state:mastodon';

const payloadSchema = z.object({
  v: z.literal(1),
  userId: z.string().min(1),
  instanceUrl: z.string().min(1),
  channelName: z.string().min(1),
  codeVerifier: z.string().min(43),
  binding: z.string().min(1),
  expiresAt: z.number().int(),
});

/**
 * An opaque `state` for /oauth/authorize: the request, encrypted and authenticated with the
 * credentials cipher (own context), expiring after `ttlMs`. It is bound to the user who started the
 * flow (userId inside) and to their browser: `browserBinding` goes into a short-lived httpOnly
 * cookie and must come back with the callback, so a link crafted by someone else cannot attach
 * their authorization to this user's Trendcast account, or this user's to theirs.
 */
export function createOAuthState(
  cipher: CredentialCipher,
  request: AuthorizationRequest,
  options: { ttlMs: number; now?: Date },
): { state: string; browserBinding: string; expiresAt: Date } {
  const browserBinding = randomBytes(32).toString('base64url');
  const expiresAt = new Date((options.now ?? new Date()).getTime() + options.ttlMs);
  const payload = { v: 1, ...request, binding: digest(browserBinding), expiresAt: expiresAt.getTime() };
  return { state: cipher.encrypt(JSON.stringify(payload), stateContext), browserBinding, expiresAt };
}

/** The request a callback's `state` carries, after checking it is ours, fresh and from the same browser. */
export function openOAuthState(cipher: CredentialCipher, state: string, browserBinding: string | undefined, now = new Date()): AuthorizationRequest {
  let payload: z.infer<typeof payloadSchema>;
  try {
    payload = payloadSchema.parse(JSON.parse(cipher.decrypt(state, stateContext)));
  } catch (error) {
    if (error instanceof CredentialDecryptError || error instanceof SyntaxError || error instanceof z.ZodError) {
      throw new OAuthStateError('STATE_INVALID', 'the authorization state is not one Trendcast issued');
    }
    throw error;
  }
  if (payload.expiresAt <= now.getTime()) throw new OAuthStateError('STATE_EXPIRED', 'the authorization took too long; start again');
  const expected = Buffer.from(payload.binding);
  const actual = Buffer.from(digest(browserBinding ?? ''));
  if (!browserBinding || expected.length !== actual.length || !timingSafeEqual(expected, actual)) {
    throw new OAuthStateError('STATE_OTHER_BROWSER', 'the authorization was started in another browser');
  }
  return { userId: payload.userId, instanceUrl: payload.instanceUrl, channelName: payload.channelName, codeVerifier: payload.codeVerifier };
}

function digest(value: string): string {
  return createHash('sha256').update(value).digest('base64url');
}
