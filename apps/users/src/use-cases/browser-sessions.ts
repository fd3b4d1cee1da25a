import { decodeJwt } from 'jose';
import type { UserView } from '../domain/user-view.js';
import type { Asked, UsersDeps } from './deps.js';
import { login, type LoginInput } from './login.js';
import { logout } from './logout.js';
import { getMyAccount } from './my-account.js';
import { refreshSession } from './refresh-session.js';
import type { SessionTokens } from './sessions.js';

/** What a browser gets: the access token for its memory, the refresh token for the cookie, and who signed in. */
export interface BrowserSession {
  accessToken: string;
  expiresIn: number;
  refreshToken: string;
  user: UserView;
}

/** The account the freshly issued access token names (this service just signed it, so its claims are ours). */
async function withAccount(deps: UsersDeps, tokens: SessionTokens): Promise<BrowserSession> {
  const userId = decodeJwt(tokens.accessToken).sub;
  if (!userId) throw new Error('issued access token has no subject');
  const user = await getMyAccount(deps, { userId });
  return { accessToken: tokens.accessToken, expiresIn: tokens.expiresIn, refreshToken: tokens.refreshToken, user };
}

/** Signing in from the web app: the same checks, throttling and session family as the JSON login. */
export async function openBrowserSession(deps: UsersDeps, input: LoginInput & Asked): Promise<BrowserSession> {
  return withAccount(deps, await login(deps, input));
}

/** Rotates the cookie's refresh token with the JSON API's rules: a spent token revokes its whole family. */
export async function refreshBrowserSession(deps: UsersDeps, input: { refreshToken: string }): Promise<BrowserSession> {
  return withAccount(deps, await refreshSession(deps, input));
}

export async function endBrowserSession(deps: UsersDeps, input: { refreshToken: string | undefined }): Promise<void> {
  if (input.refreshToken) await logout(deps, { refreshToken: input.refreshToken });
}
