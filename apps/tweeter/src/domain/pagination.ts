import { z } from 'zod';

/** Keyset cursor over (at desc, id desc): stable while rows are added. */
const cursorSchema = z.object({ at: z.iso.datetime(), id: z.uuid() });
export type Cursor = z.infer<typeof cursorSchema>;

export function encodeCursor(row: { at: Date; id: string }): string {
  return Buffer.from(JSON.stringify({ at: row.at.toISOString(), id: row.id })).toString('base64url');
}

/** Undefined for a cursor this service did not hand out. */
export function decodeCursor(cursor: string): Cursor | undefined {
  try {
    const parsed = cursorSchema.safeParse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** The page of `limit` from `limit + 1` rows read, with the cursor of its last row when more follow. */
export function pageOf<T>(rows: T[], limit: number, keyOf: (row: T) => { at: Date; id: string }): Page<T> {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > limit && last ? encodeCursor(keyOf(last)) : null };
}
