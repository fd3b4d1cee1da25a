import { and, asc, eq, gt, or, sql } from 'drizzle-orm';
import { PgTransaction } from 'drizzle-orm/pg-core';
import type { NotificationPreferences } from '@trendcast/events';
import type { Executor, UsersDatabase, UsersTransaction } from '../db/client.js';
import { users, type Role, type UserRow } from '../db/schema.js';

export interface NewUser {
  email: string;
  displayName: string;
  passwordHash: string;
  notificationPreferences: NotificationPreferences;
  role?: Role;
  emailVerifiedAt?: Date | null;
  createdAt: Date;
}

/**
 * The two lookups on every authenticated request and every sign-in, prepared once per pool:
 * building a drizzle query costs several times more than PostgreSQL takes to answer it.
 */
function preparedLookups(db: UsersDatabase) {
  return {
    byId: db.select().from(users).where(eq(users.id, sql.placeholder('id'))).limit(1).prepare('users_by_id'),
    byEmail: db.select().from(users).where(eq(users.email, sql.placeholder('email'))).limit(1).prepare('users_by_email'),
  };
}
const lookups = new WeakMap<UsersDatabase, ReturnType<typeof preparedLookups>>();

/** The prepared lookups when `db` is the pool; undefined inside a transaction, which must use its own connection. */
function lookupsFor(db: Executor) {
  if (db instanceof PgTransaction) return undefined;
  const pool = db as UsersDatabase;
  let prepared = lookups.get(pool);
  if (!prepared) lookups.set(pool, (prepared = preparedLookups(pool)));
  return prepared;
}

export async function findUserByEmail(db: Executor, email: string): Promise<UserRow | undefined> {
  const prepared = lookupsFor(db);
  const [row] = prepared
    ? await prepared.byEmail.execute({ email })
    : await db.select().from(users).where(eq(users.email, email)).limit(1);
  return row;
}

export async function findUserById(db: Executor, id: string, o: { forUpdate?: boolean } = {}): Promise<UserRow | undefined> {
  const prepared = o.forUpdate ? undefined : lookupsFor(db);
  if (prepared) return (await prepared.byId.execute({ id }))[0];
  const query = db.select().from(users).where(eq(users.id, id)).limit(1);
  const [row] = o.forUpdate ? await query.for('update') : await query;
  return row;
}

export async function insertUser(db: Executor, user: NewUser): Promise<UserRow> {
  // created_at comes from the application clock (millisecond precision) so the admin listing's
  // keyset cursor, which round-trips through a JavaScript Date, matches rows exactly.
  const [row] = await db
    .insert(users)
    .values({ ...user, updatedAt: user.createdAt, passwordChangedAt: user.createdAt })
    .returning();
  return row!;
}

export type UserChanges = Partial<
  Pick<UserRow, 'displayName' | 'notificationPreferences' | 'passwordHash' | 'passwordChangedAt' | 'role' | 'emailVerifiedAt'>
>;

export async function updateUser(db: Executor, id: string, changes: UserChanges, at: Date): Promise<UserRow | undefined> {
  const [row] = await db
    .update(users)
    .set({ ...changes, updatedAt: at })
    .where(eq(users.id, id))
    .returning();
  return row;
}

export async function deleteUser(db: Executor, id: string): Promise<boolean> {
  const rows = await db.delete(users).where(eq(users.id, id)).returning({ id: users.id });
  return rows.length > 0;
}

export interface UserCursor {
  createdAt: Date;
  id: string;
}

/** Oldest first, `limit` rows after the cursor. */
export async function listUsers(db: Executor, o: { limit: number; after?: UserCursor }): Promise<UserRow[]> {
  const after = o.after;
  return db
    .select()
    .from(users)
    .where(
      after
        ? or(gt(users.createdAt, after.createdAt), and(eq(users.createdAt, after.createdAt), gt(users.id, after.id)))
        : undefined,
    )
    .orderBy(asc(users.createdAt), asc(users.id))
    .limit(o.limit);
}

/** Locks every admin row, so two concurrent demotions cannot both leave the service without an admin. */
export async function lockAdmins(tx: UsersTransaction): Promise<string[]> {
  const rows = await tx.select({ id: users.id }).from(users).where(eq(users.role, 'admin')).for('update');
  return rows.map((row) => row.id);
}

export async function countUsers(db: Executor): Promise<number> {
  const [row] = await db.select({ count: sql<number>`count(*)::int` }).from(users);
  return row?.count ?? 0;
}
