import { safeText } from '@trendcast/service-kit';
import { z } from 'zod';
import { tweeterError } from '../domain/errors.js';

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
