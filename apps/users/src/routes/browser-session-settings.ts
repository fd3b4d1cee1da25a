import { originListVar } from '@trendcast/service-kit';
import { z } from 'zod';

/** Environment variables of the browser sessions (spread into the users config schema). */
export const browserSessionConfigShape = {
  /** Secure flag of the refresh cookie; unset means on everywhere but NODE_ENV=development (plain http on localhost). */
  SESSION_COOKIE_SECURE: z.stringbool({ error: 'must be one of true/false, 1/0, yes/no, on/off' }).optional(),
  /** The public path of the browser-session routes (the gateway adds /api): the only path the cookie is sent to. */
  SESSION_COOKIE_PATH: z.string().trim().regex(/^\/[A-Za-z0-9/_-]*$/, 'must be a path like /api/users/sessions/browser').default('/api/users/sessions/browser'),
  /** Origins besides PUBLIC_BASE_URL's whose pages may use browser sessions, comma-separated. */
  WEB_ORIGINS: originListVar(),
};

export interface BrowserSessionSettings {
  cookieSecure: boolean;
  cookiePath: string;
  /** Refresh-cookie lifetime: a refresh token expires after this long unused anyway. */
  cookieMaxAgeSeconds: number;
  /** Origins (scheme://host[:port]) of the pages allowed to open, refresh and end browser sessions. */
  allowedOrigins: ReadonlySet<string>;
}

export interface BrowserSessionConfig {
  NODE_ENV: 'development' | 'test' | 'production';
  PUBLIC_BASE_URL: string;
  REFRESH_TOKEN_TTL_SECONDS: number;
  SESSION_COOKIE_SECURE?: boolean | undefined;
  SESSION_COOKIE_PATH: string;
  WEB_ORIGINS: string[];
}

export function browserSessionSettings(config: BrowserSessionConfig): BrowserSessionSettings {
  return {
    cookieSecure: config.SESSION_COOKIE_SECURE ?? config.NODE_ENV !== 'development',
    cookiePath: config.SESSION_COOKIE_PATH,
    cookieMaxAgeSeconds: config.REFRESH_TOKEN_TTL_SECONDS,
    allowedOrigins: new Set([new URL(config.PUBLIC_BASE_URL).origin, ...config.WEB_ORIGINS]),
  };
}
