/**
 * Ways a Mastodon server answers badly, each served in place of one normal answer. The bodies and
 * headers are Mastodon's own (see its Api::ErrorHandling concern, Doorkeeper and rack-attack).
 */
export type FakeMastodonFault =
  /** 401 as for a token the user revoked; the token really is revoked from then on. */
  | { kind: 'token-revoked' }
  /** 422 with Mastodon's `{ "error": "Validation failed: …" }` body. */
  | { kind: 'validation'; error?: string }
  /** 429 `{"error":"Too many requests"}` with X-RateLimit-Limit/Remaining/Reset (reset in `resetInSeconds`). */
  | { kind: 'rate-limited'; resetInSeconds?: number; limit?: number }
  /** A server error: 500 (Rails' HTML page), 502/504 (the proxy's HTML page) or 503 (Mastodon's JSON). */
  | { kind: 'server-error'; status?: 500 | 502 | 503 | 504 }
  /** The request is processed (a status is created and stored) but no answer is ever sent. */
  | { kind: 'no-answer' }
  /** The request is processed, and answered normally `ms` later. */
  | { kind: 'slow'; ms: number }
  /** The connection is dropped before the request is processed: nothing is stored. */
  | { kind: 'drop' }
  /** For /oauth/authorize: the user clicks "Deny". */
  | { kind: 'deny' };

/** Which endpoint a fault applies to. */
export type FaultTarget = 'statuses' | 'verify_credentials' | 'instance' | 'apps' | 'authorize' | 'token' | 'revoke' | 'any';

export function targetOf(method: string, path: string): Exclude<FaultTarget, 'any'> | 'other' {
  if (method === 'POST' && path === '/api/v1/statuses') return 'statuses';
  if (path === '/api/v1/accounts/verify_credentials') return 'verify_credentials';
  if (path === '/api/v2/instance') return 'instance';
  if (method === 'POST' && path === '/api/v1/apps') return 'apps';
  if (path === '/oauth/authorize') return 'authorize';
  if (method === 'POST' && path === '/oauth/token') return 'token';
  if (method === 'POST' && path === '/oauth/revoke') return 'revoke';
  return 'other';
}

export const serverErrorPages: Record<500 | 502 | 504, string> = {
  500: "<!DOCTYPE html><html><head><title>We're sorry, but something went wrong (500)</title></head><body><div class=\"dialog\"><h1>We're sorry, but something went wrong.</h1></div></body></html>",
  502: '<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>',
  504: '<html><head><title>504 Gateway Time-out</title></head><body><center><h1>504 Gateway Time-out</h1></center><hr><center>nginx</center></body></html>',
};

/** Mastodon's `errors.429` and `temporary_problem` messages. */
export const tooManyRequestsMessage = 'Too many requests';
export const temporaryProblemMessage = 'There was a temporary problem serving your request, please try again';
