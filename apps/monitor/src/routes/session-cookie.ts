import type { CookieSerializeOptions } from '@fastify/cookie';
import { consolePath } from '../views/paths.js';

/** The console's session cookie: a signed random id; the session itself lives in Redis. */
export const sessionCookieName = 'trendcast_console';

export interface SessionCookieSettings {
  secure: boolean;
  maxAgeSeconds: number;
}

/** Sent only to the console, only from our own site, never readable by scripts. */
export function sessionCookieOptions(settings: SessionCookieSettings): CookieSerializeOptions {
  return {
    httpOnly: true,
    secure: settings.secure,
    sameSite: 'strict',
    path: consolePath,
    maxAge: settings.maxAgeSeconds,
    signed: true,
  };
}

/** Options that make the browser drop the cookie (same name, path and flags, already expired). */
export function clearedSessionCookieOptions(settings: SessionCookieSettings): CookieSerializeOptions {
  const { maxAge: _maxAge, signed: _signed, ...rest } = sessionCookieOptions(settings);
  return { ...rest, expires: new Date(0) };
}
