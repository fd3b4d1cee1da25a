import { lt, sql } from 'drizzle-orm';
import type { Executor } from '../db/client.js';
import { oneTimeTokens, refreshTokens } from '../db/schema.js';

/** Expired tokens can no longer do anything; after a day of grace they are only clutter. */
export async function deleteExpiredTokens(db: Executor): Promise<{ refreshTokens: number; oneTimeTokens: number }> {
  const cutoff = sql`now() - interval '1 day'`;
  const refresh = await db.delete(refreshTokens).where(lt(refreshTokens.expiresAt, cutoff)).returning({ id: refreshTokens.id });
  const oneTime = await db.delete(oneTimeTokens).where(lt(oneTimeTokens.expiresAt, cutoff)).returning({ id: oneTimeTokens.id });
  return { refreshTokens: refresh.length, oneTimeTokens: oneTime.length };
}
