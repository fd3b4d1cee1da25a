import { and, desc, eq, lt, or, type SQL } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import type { Cursor } from '../domain/pagination.js';

/** Newest first over (created_at, id): the condition for the rows after `cursor`, and the order. */
export function newestFirst(columns: { createdAt: PgColumn; id: PgColumn }, after: Cursor | undefined) {
  let condition: SQL | undefined;
  if (after) {
    const createdAt = new Date(after.createdAt);
    condition = or(lt(columns.createdAt, createdAt), and(eq(columns.createdAt, createdAt), lt(columns.id, after.id)));
  }
  return { condition, orderBy: [desc(columns.createdAt), desc(columns.id)] };
}
