import { z } from 'zod';

export const userId = z.uuid();
export const emailAddress = z.email().max(254);
export const displayName = z.string().min(1).max(100);
export const isoDateTime = z.iso.datetime({ offset: true });

/** Kinds of mail a person may opt out of. Security mail (verify, reset, password changed) is not listed: it is always sent. */
export const notificationPreferencesSchema = z.object({
  searchFailed: z.boolean(),
  draftsReady: z.boolean(),
  postPublished: z.boolean(),
  postFailed: z.boolean(),
  generationFailed: z.boolean(),
});
export type NotificationPreferences = z.infer<typeof notificationPreferencesSchema>;
export type NotificationKind = keyof NotificationPreferences;

export const defaultNotificationPreferences: NotificationPreferences = {
  searchFailed: true,
  draftsReady: true,
  postPublished: true,
  postFailed: true,
  generationFailed: true,
};

/** What a search may ask the thinker to write once the trend data is in. */
export const generateRequestSchema = z.object({
  count: z.number().int().min(1).max(10),
  tone: z.string().min(1).max(50),
  channel: z.string().min(1).max(50),
});
export type GenerateRequest = z.infer<typeof generateRequestSchema>;
