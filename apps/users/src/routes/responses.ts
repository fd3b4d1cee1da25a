import { notificationPreferencesSchema } from '@trendcast/events';
import { z } from 'zod';
import { userRole } from '../db/schema.js';

/**
 * What the main routes answer, as response schemas: the OpenAPI document shows them, and fastify
 * checks every answer against them (a field that is not listed here never leaves the service).
 */

export const userResponse = z
  .object({
    id: z.uuid(),
    email: z.string(),
    displayName: z.string(),
    role: z.enum(userRole.enumValues),
    emailVerified: z.boolean(),
    notificationPreferences: notificationPreferencesSchema,
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'User', description: 'An account as its owner (or an admin) sees it' });

export const sessionTokensResponse = z
  .object({
    accessToken: z.string().describe('Send as `Authorization: Bearer <accessToken>`'),
    refreshToken: z.string().describe('For POST /users/token/refresh and /users/logout; single use, rotated on refresh'),
    expiresIn: z.number().int().describe('Seconds until the access token expires'),
    tokenType: z.literal('Bearer'),
  })
  .meta({ id: 'SessionTokens' });

export const browserSessionResponse = z
  .object({
    accessToken: z.string(),
    expiresIn: z.number().int(),
    user: userResponse,
  })
  .describe('The refresh token is set as an httpOnly cookie, never in the body');

export const acceptedResponse = z.object({ status: z.literal('accepted') }).describe('Accepted: an email follows if the address has an account');

export const userPageResponse = z.object({
  items: z.array(userResponse),
  nextCursor: z.string().nullable().describe('Pass as `cursor` for the next page; null on the last'),
});
