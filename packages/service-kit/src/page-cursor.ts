import { z } from 'zod';
import { badRequest } from './errors.js';
import { safeText } from './text.js';

/** Where a page ended: its last row's sort timestamp and id (what `newestFirstAfter` reads on). */
export interface PagePosition {
  at: string;
  id: string;
}

export interface Page<T> {
  items: T[];
  /** Pass as `cursor` for the next page; null on the last. */
  nextCursor: string | null;
}

const positionSchema = z.object({ at: z.iso.datetime(), id: z.uuid() });

/** The `limit` and `cursor` of every list route's query string. */
export const pageQueryShape = {
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: safeText().max(200).optional(),
};

/** An opaque cursor: the position of a page's last row, base64url JSON. */
export function encodePageCursor(key: { at: Date; id: string }): string {
  return Buffer.from(JSON.stringify({ at: key.at.toISOString(), id: key.id })).toString('base64url');
}

/** The position a cursor names; a 400 for a cursor this API did not hand out. */
export function pagePositionFrom(cursor: string | undefined): PagePosition | undefined {
  if (cursor === undefined) return undefined;
  let parsed: ReturnType<typeof positionSchema.safeParse> | undefined;
  try {
    parsed = positionSchema.safeParse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
  } catch {
    parsed = undefined;
  }
  if (!parsed?.success) throw badRequest('cursor is not one this API handed out');
  return parsed.data;
}

/** One page from `limit + 1` rows read: the extra row only says that another page exists. */
export function pageOf<T>(rows: T[], limit: number, keyOf: (row: T) => { at: Date; id: string }): Page<T> {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > limit && last ? encodePageCursor(keyOf(last)) : null };
}
