import { and, desc, eq, lt, or, type SQL } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';

/**
 * Newest first over (a timestamp, id): the condition for the rows after `position` (the last row of
 * the previous page) and the order that pages them. Stable while rows are added, unlike an offset.
 */
export function newestFirstAfter(
  columns: { at: PgColumn; id: PgColumn },
  position: { at: string; id: string } | undefined,
): { where: SQL | undefined; orderBy: SQL[] } {
  const orderBy = [desc(columns.at), desc(columns.id)];
  if (!position) return { where: undefined, orderBy };
  const at = new Date(position.at);
  return { where: or(lt(columns.at, at), and(eq(columns.at, at), lt(columns.id, position.id))), orderBy };
}
