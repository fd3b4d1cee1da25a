import { createHash, randomBytes } from 'node:crypto';
import type { z } from 'zod';
import type { HttpClient, HttpResponse } from '../http/http-client.js';
import { isOutboundRequestError } from '../http/outbound-error.js';
import { networkMessage } from './classify.js';
import { credentialApplicationSchema, tokenSchema } from './wire.js';

/**
 * What Trendcast asks of an account: post statuses, and read the account to show whose it is
 * (verify_credentials needs `read:accounts`; `profile` would do on 4.3+ but older servers refuse it).
 */
export const mastodonScopes = ['write:statuses', 'read:accounts'] as const;

/** Our OAuth client on one instance, registered once per instance and kept (secret encrypted). */
export interface MastodonApp {
  instanceUrl: string;
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  scopes: string[];
}

export type MastodonOAuthErrorCode =
  | 'INSTANCE_NOT_ALLOWED' // the address is private or not https
  | 'INSTANCE_UNREACHABLE' // no answer, or 5xx
  | 'NOT_MASTODON' // the answer is not Mastodon's API
  | 'APP_REJECTED' // the instance refused our registration or no longer knows our client (re-register)
  | 'INVALID_GRANT' // the code is wrong, used or expired, or PKCE failed
  | 'SCOPES_NOT_GRANTED' // the token lacks a scope we need
  | 'RATE_LIMITED';

/** A step of connecting a Mastodon account failed; `code` is what the callback reports (`/channels?error=`). */
export class MastodonOAuthError extends Error {
  override readonly name = 'MastodonOAuthError';
  constructor(
    readonly code: MastodonOAuthErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** POST /api/v1/apps: registers Trendcast with the instance for `redirectUri` and our scopes. */
export async function registerMastodonApp(
  http: HttpClient,
  input: { instanceUrl: string; clientName: string; redirectUri: string; website?: string },
): Promise<MastodonApp> {
  const origin = new URL(input.instanceUrl).origin;
  const response = await send(http, `${origin}/api/v1/apps`, {
    client_name: input.clientName,
    redirect_uris: [input.redirectUri],
    scopes: mastodonScopes.join(' '),
    ...(input.website ? { website: input.website } : {}),
  });
  if (response.status !== 200) throw failure(response, 'APP_REJECTED', 'the instance refused to register Trendcast', []);
  const app = parse(response, credentialApplicationSchema);
  return { instanceUrl: origin, clientId: app.client_id, clientSecret: app.client_secret, redirectUri: input.redirectUri, scopes: [...mastodonScopes] };
}

/** RFC 7636 PKCE: the verifier stays with us, the S256 challenge goes in the authorize URL. */
export function createPkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/** Where to send the browser: the instance's /oauth/authorize for our client, scopes, state and PKCE challenge. */
export function buildAuthorizeUrl(app: MastodonApp, input: { state: string; codeChallenge: string }): string {
  const url = new URL('/oauth/authorize', app.instanceUrl);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: app.clientId,
    redirect_uri: app.redirectUri,
    scope: app.scopes.join(' '),
    state: input.state,
    code_challenge: input.codeChallenge,
    code_challenge_method: 'S256',
  }).toString();
  return url.toString();
}

export interface MastodonGrant {
  accessToken: string;
  scopes: string[];
}

/** POST /oauth/token with the code the instance sent back; checks every scope we need was granted. */
export async function exchangeAuthorizationCode(http: HttpClient, app: MastodonApp, input: { code: string; codeVerifier: string }): Promise<MastodonGrant> {
  const response = await send(http, `${app.instanceUrl}/oauth/token`, {
    grant_type: 'authorization_code',
    code: input.code,
    client_id: app.clientId,
    client_secret: app.clientSecret,
    redirect_uri: app.redirectUri,
    code_verifier: input.codeVerifier,
    scope: app.scopes.join(' '),
  });
  const secrets = [app.clientSecret, input.code, input.codeVerifier];
  if (response.status === 401) throw failure(response, 'APP_REJECTED', 'the instance no longer knows Trendcast as a client', secrets);
  if (response.status === 400) throw failure(response, 'INVALID_GRANT', 'the authorization code was refused', secrets);
  if (response.status !== 200) throw failure(response, 'INSTANCE_UNREACHABLE', 'the instance could not issue a token', secrets);
  const token = parse(response, tokenSchema);
  const granted = (token.scope ?? '').split(/\s+/).filter(Boolean);
  const missing = app.scopes.filter((scope) => !granted.includes(scope) && !granted.includes(scope.split(':')[0] ?? ''));
  if (missing.length > 0) {
    throw new MastodonOAuthError('SCOPES_NOT_GRANTED', `the instance did not grant ${missing.join(', ')}`);
  }
  return { accessToken: token.access_token, scopes: granted };
}

/** POST /oauth/revoke: the token stops working (done when a channel is deleted). */
export async function revokeAccessToken(http: HttpClient, app: MastodonApp, accessToken: string): Promise<void> {
  const response = await send(http, `${app.instanceUrl}/oauth/revoke`, { client_id: app.clientId, client_secret: app.clientSecret, token: accessToken });
  if (response.status !== 200) throw failure(response, response.status === 403 ? 'APP_REJECTED' : 'INSTANCE_UNREACHABLE', 'the instance did not revoke the token', [app.clientSecret, accessToken]);
}

async function send(http: HttpClient, url: string, body: Record<string, unknown>): Promise<HttpResponse> {
  try {
    return await http.request(url, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify(body) });
  } catch (error) {
    if (isOutboundRequestError(error) && (error.code === 'DESTINATION_REFUSED' || error.code === 'SCHEME_REFUSED')) {
      throw new MastodonOAuthError('INSTANCE_NOT_ALLOWED', error.message, { cause: error });
    }
    const why = isOutboundRequestError(error) ? error.message : 'the request failed';
    throw new MastodonOAuthError('INSTANCE_UNREACHABLE', why, { cause: error });
  }
}

function failure(response: HttpResponse, code: MastodonOAuthErrorCode, what: string, secrets: string[]): MastodonOAuthError {
  if (response.status === 429) return new MastodonOAuthError('RATE_LIMITED', 'the instance is rate limiting Trendcast; try again later');
  if (response.status >= 500) return new MastodonOAuthError('INSTANCE_UNREACHABLE', `the instance answered ${response.status}`);
  const said = networkMessage(response.body, secrets);
  if (said === undefined && response.status === 404) return new MastodonOAuthError('NOT_MASTODON', 'this server has no Mastodon API');
  return new MastodonOAuthError(code, `${what}${said ? ` (${said})` : ` (${response.status})`}`);
}

function parse<S extends z.ZodType>(response: HttpResponse, schema: S): z.output<S> {
  let json: unknown;
  try {
    json = JSON.parse(response.body);
  } catch {
    json = undefined;
  }
  const result = schema.safeParse(json);
  if (!result.success) throw new MastodonOAuthError('NOT_MASTODON', "the server's answer is not Mastodon's API");
  return result.data;
}
