import { safeText } from '@trendcast/service-kit';
import { z } from 'zod';
import { thinkerError } from '../domain/errors.js';
import { positionOf, type PagePosition } from '../domain/pagination.js';

export const pageQueryShape = {
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: safeText().max(200).optional(),
};

export function positionFrom(cursor: string | undefined): PagePosition | undefined {
  if (cursor === undefined) return undefined;
  const position = positionOf(cursor);
  if (!position) throw thinkerError('BAD_CURSOR');
  return position;
}

/** `:id` path parameters. */
export const idParams = z.object({ id: safeText().max(100) });

const uuid = z.uuid();

/** Ids that are not UUIDs name nothing: the same 404 as someone else's resource. */
export function idOrNotFound(id: string, what: string): string {
  if (!uuid.safeParse(id).success) throw thinkerError('NOT_FOUND', { message: `No such ${what}` });
  return id;
}
