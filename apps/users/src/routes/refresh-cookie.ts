import type { CookieSerializeOptions } from '@fastify/cookie';
import type { BrowserSessionSettings } from './browser-session-settings.js';

/** The cookie holding a browser's refresh token. JavaScript never sees it (httpOnly). */
export const refreshCookieName = 'trendcast_refresh';

/** Sent only to the browser-session routes, only from our own site, never readable by scripts. */
export function refreshCookieOptions(settings: BrowserSessionSettings): CookieSerializeOptions {
  return {
    httpOnly: true,
    secure: settings.cookieSecure,
    sameSite: 'strict',
    path: settings.cookiePath,
    maxAge: settings.cookieMaxAgeSeconds,
  };
}

/** Options that make the browser drop the cookie (same name, path and flags, already expired). */
export function clearedRefreshCookieOptions(settings: BrowserSessionSettings): CookieSerializeOptions {
  const { maxAge: _maxAge, ...rest } = refreshCookieOptions(settings);
  return { ...rest, expires: new Date(0) };
}
