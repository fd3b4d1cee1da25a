import { z } from 'zod';

// The parts of Mastodon's entities we read. Unknown fields are ignored; a missing required field
// means the server is not speaking Mastodon's API as we know it.

export const statusSchema = z.object({
  id: z.string().min(1),
  uri: z.string().min(1),
  url: z.string().nullish(),
});

export const credentialAccountSchema = z.object({
  id: z.string().min(1),
  username: z.string().min(1),
  acct: z.string().min(1),
  display_name: z.string().default(''),
  url: z.string().min(1),
});

export const instanceV2Schema = z.object({
  configuration: z
    .object({
      statuses: z
        .object({
          max_characters: z.number().int().positive().optional(),
          characters_reserved_per_url: z.number().int().nonnegative().optional(),
        })
        .optional(),
    })
    .optional(),
});

/** /api/v1/instance: servers before 4.0, and forks that still report `max_toot_chars`. */
export const instanceV1Schema = instanceV2Schema.extend({
  max_toot_chars: z.number().int().positive().optional(),
});

export const credentialApplicationSchema = z.object({
  client_id: z.string().min(1),
  client_secret: z.string().min(1),
  scopes: z.array(z.string()).optional(),
});

export const tokenSchema = z.object({
  access_token: z.string().min(1),
  token_type: z.string().optional(),
  scope: z.string().optional(),
  created_at: z.number().optional(),
});

/** `{ "error": "…" }`, Mastodon's error body; Doorkeeper adds `error_description`. */
export const errorBodySchema = z.object({
  error: z.string(),
  error_description: z.string().optional(),
});
