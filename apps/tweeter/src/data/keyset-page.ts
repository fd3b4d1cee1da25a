import { and, desc, eq, lt, or, type SQL } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import type { Cursor } from '../domain/pagination.js';

/** Newest first over (at, id): the condition for the rows after `cursor`, and the order. */
export function newestFirst(columns: { at: PgColumn; id: PgColumn }, after: Cursor | undefined) {
  let condition: SQL | undefined;
  if (after) {
    const at = new Date(after.at);
    condition = or(lt(columns.at, at), and(eq(columns.at, at), lt(columns.id, after.id)));
  }
  return { condition, orderBy: [desc(columns.at), desc(columns.id)] };
}
