/**
 * The feed's links end up in web pages and emails: only absolute http(s) URLs pass, so a
 * `javascript:` or `data:` URL in Google's feed (or in whatever stands in its way) goes no further.
 */
export function httpUrlOrNull(value: string | null | undefined): string | null {
  if (!value) return null;
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    return null;
  }
  return url.protocol === 'https:' || url.protocol === 'http:' ? value.trim() : null;
}
