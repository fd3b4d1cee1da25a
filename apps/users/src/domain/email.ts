import { safeText } from '@trendcast/service-kit';
import { z } from 'zod';

/**
 * Emails are compared and stored trimmed and in lower case, so `Ann@X.org` and `ann@x.org` are
 * one account. (Local parts may be case-sensitive in theory; no mail provider in use treats them so.)
 */
export const emailSchema = safeText()
  .max(320)
  .trim()
  .toLowerCase()
  .pipe(z.email({ error: 'must be an email address' }).max(254));
