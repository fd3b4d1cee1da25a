import { decodeJwt } from 'jose';
import type { UserView } from '../domain/user-view.js';
import type { LoginInput } from '../use-cases/login.js';
import { login } from '../use-cases/login.js';
import { logout } from '../use-cases/logout.js';
import { getMyAccount } from '../use-cases/my-account.js';
import { refreshSession } from '../use-cases/refresh-session.js';
import type { RequestOrigin, UsersContext } from '../use-cases/context.js';
import type { SessionTokens } from '../use-cases/sessions.js';

/** What a browser gets: the access token for its memory, the refresh token for the cookie, and who signed in. */
export interface BrowserSession {
  accessToken: string;
  expiresIn: number;
  refreshToken: string;
  user: UserView;
}

/** The account the freshly issued access token names (this service just signed it, so its claims are ours). */
async function withAccount(ctx: UsersContext, tokens: SessionTokens): Promise<BrowserSession> {
  const userId = decodeJwt(tokens.accessToken).sub;
  if (!userId) throw new Error('issued access token has no subject');
  const user = await getMyAccount(ctx, userId);
  return { accessToken: tokens.accessToken, expiresIn: tokens.expiresIn, refreshToken: tokens.refreshToken, user };
}

/** Signing in from the web app: the same checks, throttling and session family as the JSON login. */
export async function openBrowserSession(ctx: UsersContext, input: LoginInput, origin: RequestOrigin): Promise<BrowserSession> {
  return withAccount(ctx, await login(ctx, input, origin));
}

/** Rotates the cookie's refresh token with the JSON API's rules: a spent token revokes its whole family. */
export async function refreshBrowserSession(ctx: UsersContext, refreshToken: string): Promise<BrowserSession> {
  return withAccount(ctx, await refreshSession(ctx, refreshToken));
}

export async function endBrowserSession(ctx: UsersContext, refreshToken: string | undefined): Promise<void> {
  if (refreshToken) await logout(ctx, refreshToken);
}
