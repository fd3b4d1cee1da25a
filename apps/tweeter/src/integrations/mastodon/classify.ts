import { ChannelError } from '../../domain/channel-error.js';
import type { HttpResponse } from '../http/http-client.js';
import { isOutboundRequestError } from '../http/outbound-error.js';
import { errorBodySchema } from './wire.js';

/** Whether the call could have changed something on the server (a POST), which makes a lost answer an unknown outcome. */
export type CallKind = 'publish' | 'read';

const maxMessageLength = 300;

/** Mastodon's own message from an error body, short, printable and with the given secrets cut out. */
export function networkMessage(body: string, secrets: readonly string[]): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return undefined;
  }
  const result = errorBodySchema.safeParse(parsed);
  if (!result.success) return undefined;
  const { error, error_description } = result.data;
  return scrub(error_description ? `${error}: ${error_description}` : error, secrets);
}

export function scrub(text: string, secrets: readonly string[]): string {
  // Control characters (a log-forging newline, say) become spaces.
  let clean = [...text].map((c) => (c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f ? ' ' : c)).join('').replace(/ {2,}/g, ' ').trim();
  for (const secret of secrets) if (secret) clean = clean.split(secret).join('[redacted]');
  return clean.length > maxMessageLength ? `${clean.slice(0, maxMessageLength)}…` : clean;
}

/**
 * The rate limit's reset from Mastodon's X-RateLimit-Reset (an ISO 8601 time); a Unix time in
 * seconds or a Retry-After header are read too, for servers that send those instead.
 */
export function rateLimitResetOf(headers: Headers, now: Date): Date | undefined {
  const reset = headers.get('x-ratelimit-reset')?.trim();
  if (reset) {
    if (/^\d{9,11}(\.\d+)?$/.test(reset)) return new Date(Number(reset) * 1000);
    const parsed = Date.parse(reset);
    if (!Number.isNaN(parsed)) return new Date(parsed);
  }
  const retryAfter = headers.get('retry-after')?.trim();
  if (retryAfter) {
    if (/^\d+$/.test(retryAfter)) return new Date(now.getTime() + Number(retryAfter) * 1000);
    const parsed = Date.parse(retryAfter);
    if (!Number.isNaN(parsed)) return new Date(parsed);
  }
  return undefined;
}

/** The ChannelError for a non-2xx answer from Mastodon. */
export function classifyResponse(response: HttpResponse, secrets: readonly string[], now: Date): ChannelError {
  const { status } = response;
  const message = networkMessage(response.body, secrets);
  const details = { status, ...(message ? { networkMessage: message } : {}) };
  const said = message ? ` (${message})` : '';

  if (status === 401) return new ChannelError('auth_revoked', `Mastodon no longer accepts this channel's access token${said}`, details);
  if (status === 403) return new ChannelError('auth_revoked', `Mastodon refused the channel's access${said}`, details);
  if (status === 429) {
    const resetAt = rateLimitResetOf(response.headers, now);
    return new ChannelError('rate_limited', `Mastodon's rate limit was reached${said}`, { ...details, ...(resetAt ? { resetAt } : {}) });
  }
  if (status === 422 && message === 'This method requires an authenticated user') {
    return new ChannelError('auth_revoked', 'the access token does not belong to a user account', details);
  }
  if (status === 422) return new ChannelError('rejected', `Mastodon refused the post${said}`, details);
  if (status >= 300 && status < 400) {
    const location = response.headers.get('location');
    const where = location ? ` to ${safeOrigin(location, response.url)}` : '';
    return new ChannelError('rejected', `the instance answered with a redirect${where}; reconnect the channel with the instance's current address`, details);
  }
  if (status === 408 || status === 409 || status === 425 || status >= 500) {
    return new ChannelError('temporary', `Mastodon answered ${status}${said}`, details);
  }
  if (status === 404) return new ChannelError('rejected', `the instance has no Mastodon API at this address (404)${said}`, details);
  return new ChannelError('rejected', `Mastodon answered ${status}${said}`, details);
}

/** The ChannelError for a request that got no answer at all. */
export function classifyTransportError(error: unknown, kind: CallKind): ChannelError {
  if (isOutboundRequestError(error)) {
    if (error.code === 'DESTINATION_REFUSED' || error.code === 'SCHEME_REFUSED') {
      return new ChannelError('rejected', `the instance's address is not allowed: ${error.message}`, { cause: error });
    }
    if (error.mayHaveReachedServer && kind === 'publish') {
      return new ChannelError('unknown_outcome', `${error.message}; the post may have been published`, { cause: error });
    }
    return new ChannelError('temporary', error.message, { cause: error });
  }
  return new ChannelError(kind === 'publish' ? 'unknown_outcome' : 'temporary', 'the request to the instance failed', { cause: error });
}

function safeOrigin(location: string, base: string): string {
  try {
    return new URL(location, base).origin;
  } catch {
    return 'another address';
  }
}
