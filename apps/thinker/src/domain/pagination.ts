import { z } from 'zod';

/** Keyset cursor over (created_at desc, id desc): stable while rows are added. */
const pagePositionSchema = z.object({ createdAt: z.iso.datetime(), id: z.uuid() });
export type PagePosition = z.infer<typeof pagePositionSchema>;

export function cursorAfter(row: { createdAt: Date; id: string }): string {
  return Buffer.from(JSON.stringify({ createdAt: row.createdAt.toISOString(), id: row.id })).toString('base64url');
}

/** Undefined for a cursor this service did not hand out. */
export function positionOf(cursor: string): PagePosition | undefined {
  try {
    const parsed = pagePositionSchema.safeParse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** One page from `limit + 1` rows: the extra row only says another page exists. */
export function pageFrom<T extends { createdAt: Date; id: string }>(rows: T[], limit: number): { items: T[]; nextCursor: string | null } {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > limit && last ? cursorAfter(last) : null };
}
