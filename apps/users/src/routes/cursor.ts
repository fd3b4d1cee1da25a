import { safeText } from '@trendcast/service-kit';
import { z } from 'zod';
import type { UserCursor } from '../data/users.js';

/** Opaque to clients: base64url of "<createdAt ISO>|<id>". */
export function encodeCursor(cursor: UserCursor): string {
  return Buffer.from(`${cursor.createdAt.toISOString()}|${cursor.id}`, 'utf8').toString('base64url');
}

const decodedCursor = z.tuple([z.iso.datetime(), z.uuid()]);

export const cursorSchema = safeText()
  .max(200)
  .transform((value, ctx): UserCursor => {
    const parsed = decodedCursor.safeParse(Buffer.from(value, 'base64url').toString('utf8').split('|'));
    if (!parsed.success) {
      ctx.addIssue({ code: 'custom', message: 'is not a cursor from a previous page' });
      return z.NEVER;
    }
    return { createdAt: new Date(parsed.data[0]), id: parsed.data[1] };
  });
