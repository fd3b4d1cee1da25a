import { safeText } from '@trendcast/service-kit';
import { z } from 'zod';
import { decodeCursor, type Cursor } from '../domain/pagination.js';
import { tweeterError } from '../domain/service-errors.js';

export const pageQueryShape = {
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: safeText().max(200).optional(),
};

export function cursorFrom(cursor: string | undefined): Cursor | undefined {
  if (cursor === undefined) return undefined;
  const decoded = decodeCursor(cursor);
  if (!decoded) throw tweeterError('BAD_REQUEST', { message: 'cursor is not one this API handed out' });
  return decoded;
}

const uuid = z.uuid();

/** `:id` path parameters. */
export const idParams = z.object({ id: safeText().max(100) });

/** Ids that are not UUIDs name nothing: the same 404 as someone else's resource. */
export function idOrNotFound(id: string, what: string): string {
  if (!uuid.safeParse(id).success) throw notFound(what);
  return id;
}

/** Unknown and someone else's answer alike. */
export function notFound(what: string) {
  return tweeterError('NOT_FOUND', { message: `No such ${what}` });
}
