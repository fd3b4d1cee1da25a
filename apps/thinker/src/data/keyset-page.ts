import { and, desc, eq, lt, or, type SQL } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import type { PagePosition } from '../domain/pagination.js';

/** Newest first over (created_at, id): the rows after `position`, and the order that pages them. */
export function newestFirstAfter(columns: { createdAt: PgColumn; id: PgColumn }, position: PagePosition | undefined): { where: SQL | undefined; orderBy: SQL[] } {
  const orderBy = [desc(columns.createdAt), desc(columns.id)];
  if (!position) return { where: undefined, orderBy };
  const at = new Date(position.createdAt);
  return { where: or(lt(columns.createdAt, at), and(eq(columns.createdAt, at), lt(columns.id, position.id))), orderBy };
}
