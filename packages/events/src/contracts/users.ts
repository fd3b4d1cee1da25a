import { z } from 'zod';
import { defineEvent } from '../define-event.js';
import { displayName, emailAddress, isoDateTime, notificationPreferencesSchema, userId } from './shared.js';

export const userRegistered = defineEvent('users.user.registered', 1, z.object({
  userId,
  email: emailAddress,
  displayName,
  notificationPreferences: notificationPreferencesSchema,
}));

export const emailVerificationRequested = defineEvent('users.email_verification.requested', 1, z.object({
  userId,
  email: emailAddress,
  displayName,
  verifyUrl: z.url(),
  expiresAt: isoDateTime,
}));

export const userUpdated = defineEvent('users.user.updated', 1, z.object({
  userId,
  email: emailAddress,
  displayName,
  notificationPreferences: notificationPreferencesSchema,
}));

export const passwordResetRequested = defineEvent('users.password_reset.requested', 1, z.object({
  userId,
  email: emailAddress,
  displayName,
  resetUrl: z.url(),
  expiresAt: isoDateTime,
}));

export const passwordChanged = defineEvent('users.password.changed', 1, z.object({
  userId,
  email: emailAddress,
  displayName,
  changedAt: isoDateTime,
}));

export const userDeleted = defineEvent('users.user.deleted', 1, z.object({
  userId,
}));
