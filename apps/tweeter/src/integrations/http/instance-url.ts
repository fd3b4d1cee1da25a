import { OutboundRequestError } from './outbound-error.js';

/**
 * The origin of a server a user names (`mastodon.social`, `https://Mastodon.Social/@ada`):
 * scheme, lower-case host and port only, so one instance is one key. https is assumed when no
 * scheme is given; http is accepted only when allowed. The address itself is checked when connecting.
 */
export function normalizeInstanceUrl(input: string, options: { allowHttp: boolean }): string {
  const trimmed = input.trim();
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `https://${trimmed}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new OutboundRequestError('SCHEME_REFUSED', 'not a valid server address', false);
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && options.allowHttp)) {
    throw new OutboundRequestError('SCHEME_REFUSED', 'the server address must start with https://', false);
  }
  if (url.username || url.password) throw new OutboundRequestError('SCHEME_REFUSED', 'the server address may not contain credentials', false);
  if (!url.hostname || url.hostname.endsWith('.')) throw new OutboundRequestError('SCHEME_REFUSED', 'not a valid server address', false);
  return url.origin;
}
