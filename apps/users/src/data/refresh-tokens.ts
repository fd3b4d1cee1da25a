import { and, eq, isNull, ne } from 'drizzle-orm';
import type { Executor, UsersTransaction } from '../db/client.js';
import { refreshTokens, type RefreshTokenRow } from '../db/schema.js';

export interface NewRefreshToken {
  userId: string;
  familyId: string;
  tokenHash: string;
  createdAt: Date;
  expiresAt: Date;
  familyExpiresAt: Date;
}

export async function insertRefreshToken(db: Executor, token: NewRefreshToken): Promise<void> {
  await db.insert(refreshTokens).values(token);
}

export async function findRefreshToken(db: Executor, tokenHash: string): Promise<RefreshTokenRow | undefined> {
  const [row] = await db.select().from(refreshTokens).where(eq(refreshTokens.tokenHash, tokenHash)).limit(1);
  return row;
}

/** Locks the row, so two refreshes with one token are decided one after the other. */
export async function findRefreshTokenForUpdate(tx: UsersTransaction, tokenHash: string): Promise<RefreshTokenRow | undefined> {
  const [row] = await tx.select().from(refreshTokens).where(eq(refreshTokens.tokenHash, tokenHash)).limit(1).for('update');
  return row;
}

export async function markRefreshTokenSpent(db: Executor, id: string, at: Date): Promise<void> {
  await db.update(refreshTokens).set({ spentAt: at }).where(eq(refreshTokens.id, id));
}

export async function revokeFamily(db: Executor, familyId: string, at: Date): Promise<number> {
  const rows = await db
    .update(refreshTokens)
    .set({ revokedAt: at })
    .where(and(eq(refreshTokens.familyId, familyId), isNull(refreshTokens.revokedAt)))
    .returning({ id: refreshTokens.id });
  return rows.length;
}

/** Ends every session of a user, or every one but `exceptFamilyId` (the session asking). */
export async function revokeUserFamilies(
  db: Executor,
  userId: string,
  at: Date,
  o: { exceptFamilyId?: string } = {},
): Promise<number> {
  const rows = await db
    .update(refreshTokens)
    .set({ revokedAt: at })
    .where(
      and(
        eq(refreshTokens.userId, userId),
        isNull(refreshTokens.revokedAt),
        o.exceptFamilyId ? ne(refreshTokens.familyId, o.exceptFamilyId) : undefined,
      ),
    )
    .returning({ id: refreshTokens.id });
  return rows.length;
}
