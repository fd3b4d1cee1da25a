import { findRefreshToken, revokeFamily, revokeUserFamilies } from '../data/refresh-tokens.js';
import { hashOpaqueToken } from '../security/opaque-tokens.js';
import type { UsersContext } from './context.js';

/** Ends the session the refresh token belongs to. Unknown or ended sessions are fine: logging out is idempotent. */
export async function logout(ctx: UsersContext, refreshToken: string): Promise<void> {
  const row = await findRefreshToken(ctx.db, hashOpaqueToken(refreshToken));
  if (row) await revokeFamily(ctx.db, row.familyId, new Date());
}

/** Ends every session of the user. Access tokens already issued live out their few minutes. */
export async function logoutEverywhere(ctx: UsersContext, userId: string): Promise<void> {
  await revokeUserFamilies(ctx.db, userId, new Date());
}
