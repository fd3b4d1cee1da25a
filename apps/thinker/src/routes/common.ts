import { safeText } from '@trendcast/service-kit';
import { z } from 'zod';
import { thinkerError } from '../domain/errors.js';

/** `:id` path parameters. */
export const idParams = z.object({ id: safeText().max(100) });

const uuid = z.uuid();

/** Ids that are not UUIDs name nothing: the same 404 as someone else's resource. */
export function idOrNotFound(id: string, what: string): string {
  if (!uuid.safeParse(id).success) throw thinkerError('NOT_FOUND', { message: `No such ${what}` });
  return id;
}
