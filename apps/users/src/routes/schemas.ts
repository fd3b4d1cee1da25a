import { notificationPreferencesSchema } from '@trendcast/events';
import { safeText } from '@trendcast/service-kit';
import { z } from 'zod';
import { userRole } from '../db/schema.js';
import { passwordPolicy } from '../domain/password-policy.js';
import { emailSchema } from '../domain/email.js';
import { cursorSchema } from './cursor.js';

/**
 * Request bodies. Every object is strict (unknown fields are a 400) and every string bounded and
 * safe text (no control characters, no unpaired surrogates), so nothing unexpected, huge or
 * unstorable reaches a use case.
 */

/** A password being checked: anything up to the policy's maximum. */
const password = safeText({ invisibleFormatting: true }).min(1).max(passwordPolicy.maxLength);
/** A password being set: its quality is the password policy's call (WEAK_PASSWORD), its size is bounded here. */
const newPassword = safeText({ invisibleFormatting: true }).max(passwordPolicy.maxLength);
/** Shown in other people's mail and screens: no bidi overrides or other invisible formatting either. */
const displayName = safeText().trim().min(1).max(100);
/** Our opaque tokens are 43 base64url characters; a little slack, no more. */
const opaqueToken = safeText()
  .min(16)
  .max(256)
  .regex(/^[A-Za-z0-9_-]+$/, 'is not a token');

export const registerBody = z.strictObject({ email: emailSchema, password: newPassword, displayName });
export const tokenBody = z.strictObject({ token: opaqueToken });
export const emailBody = z.strictObject({ email: emailSchema });
export const loginBody = z.strictObject({ email: emailSchema, password });
export const refreshTokenBody = z.strictObject({ refreshToken: opaqueToken });
export const resetPasswordBody = z.strictObject({ token: opaqueToken, newPassword });
export const changePasswordBody = z.strictObject({ currentPassword: password, newPassword });
export const deleteAccountBody = z.strictObject({ password });

export const updateAccountBody = z
  .strictObject({
    displayName: displayName.optional(),
    notificationPreferences: z.strictObject(notificationPreferencesSchema.shape).partial().optional(),
  })
  .refine((body) => body.displayName !== undefined || body.notificationPreferences !== undefined, {
    message: 'give displayName or notificationPreferences',
  });

export const listUsersQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: cursorSchema.optional(),
});

export const userIdParams = z.strictObject({ id: z.uuid() });
export const changeRoleBody = z.strictObject({ role: z.enum(userRole.enumValues) });
