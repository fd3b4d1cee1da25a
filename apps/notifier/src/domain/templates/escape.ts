const htmlEntities: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Makes any text safe to place in HTML element content or a quoted attribute. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => htmlEntities[char] ?? char);
}

/**
 * Makes text safe for a single mail header line (subject, display name). Every control character,
 * CR and LF first of all, becomes a space: a value can never start a header of its own.
 */
export function headerSafe(value: string, maxLength = 200): string {
  // eslint-disable-next-line no-control-regex
  const oneLine = value.replace(/[\u0000-\u001f\u007f\u0085\u2028\u2029]+/g, ' ').replace(/\s{2,}/g, ' ').trim();
  return oneLine.length > maxLength ? `${oneLine.slice(0, maxLength - 1)}…` : oneLine;
}

export class UnsafeLinkError extends Error {
  constructor(readonly url: string) {
    super('links in mail must be absolute http(s) URLs');
    this.name = 'UnsafeLinkError';
  }
}

/** Only http(s) links reach a mail: a `javascript:` or `data:` URL from an event is refused. */
export function safeLink(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UnsafeLinkError(url);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw new UnsafeLinkError(url);
  return parsed.toString();
}

/** A link under the product's public address: `appLink(base, ['posts', postId], { tab: 'log' })`. */
export function appLink(publicBaseUrl: string, segments: string[], query: Record<string, string> = {}): string {
  const url = new URL(publicBaseUrl);
  const basePath = url.pathname.replace(/\/+$/, '');
  url.pathname = [basePath, ...segments.map((segment) => encodeURIComponent(segment))].join('/');
  for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
  return safeLink(url.toString());
}

/** Shortens long user content (reasons, drafts) so a mail stays readable. */
export function truncate(value: string, maxLength: number): string {
  return value.length > maxLength ? `${value.slice(0, maxLength - 1)}…` : value;
}
