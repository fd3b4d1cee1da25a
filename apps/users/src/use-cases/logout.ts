import { findRefreshToken, revokeFamily, revokeUserFamilies } from '../data/refresh-tokens.js';
import { hashOpaqueToken } from '../security/opaque-tokens.js';
import type { UsersDeps } from './deps.js';

/** Ends the session the refresh token belongs to. Unknown or ended sessions are fine: logging out is idempotent. */
export async function logout(deps: UsersDeps, { refreshToken }: { refreshToken: string }): Promise<void> {
  const row = await findRefreshToken(deps.db, hashOpaqueToken(refreshToken));
  if (row) await revokeFamily(deps.db, row.familyId, new Date());
}

/** Ends every session of the user. Access tokens already issued live out their few minutes. */
export async function logoutEverywhere(deps: UsersDeps, { userId }: { userId: string }): Promise<void> {
  await revokeUserFamilies(deps.db, userId, new Date());
}
