import { and, desc, eq, isNull } from 'drizzle-orm';
import type { Executor } from '../db/client.js';
import { oneTimeTokens, type OneTimeTokenPurpose, type OneTimeTokenRow } from '../db/schema.js';

export interface NewOneTimeToken {
  userId: string;
  purpose: OneTimeTokenPurpose;
  tokenHash: string;
  createdAt: Date;
  expiresAt: Date;
}

export async function insertOneTimeToken(db: Executor, token: NewOneTimeToken): Promise<void> {
  await db.insert(oneTimeTokens).values(token);
}

export async function findOneTimeToken(
  db: Executor,
  tokenHash: string,
  purpose: OneTimeTokenPurpose,
): Promise<OneTimeTokenRow | undefined> {
  const [row] = await db
    .select()
    .from(oneTimeTokens)
    .where(and(eq(oneTimeTokens.tokenHash, tokenHash), eq(oneTimeTokens.purpose, purpose)))
    .limit(1);
  return row;
}

/** Marks the token used; false when another request used it first. */
export async function consumeOneTimeToken(db: Executor, id: string, at: Date): Promise<boolean> {
  const rows = await db
    .update(oneTimeTokens)
    .set({ usedAt: at })
    .where(and(eq(oneTimeTokens.id, id), isNull(oneTimeTokens.usedAt)))
    .returning({ id: oneTimeTokens.id });
  return rows.length === 1;
}

/** Retires a user's unused tokens of one purpose: only the newest link sent ever works. */
export async function retireOneTimeTokens(db: Executor, userId: string, purpose: OneTimeTokenPurpose, at: Date): Promise<void> {
  await db
    .update(oneTimeTokens)
    .set({ usedAt: at })
    .where(and(eq(oneTimeTokens.userId, userId), eq(oneTimeTokens.purpose, purpose), isNull(oneTimeTokens.usedAt)));
}

export async function lastIssuedAt(db: Executor, userId: string, purpose: OneTimeTokenPurpose): Promise<Date | undefined> {
  const [row] = await db
    .select({ createdAt: oneTimeTokens.createdAt })
    .from(oneTimeTokens)
    .where(and(eq(oneTimeTokens.userId, userId), eq(oneTimeTokens.purpose, purpose)))
    .orderBy(desc(oneTimeTokens.createdAt))
    .limit(1);
  return row?.createdAt;
}
