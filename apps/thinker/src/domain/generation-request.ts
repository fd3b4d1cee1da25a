import { trendSummarySchema } from '@trendcast/events';
import { channelKinds } from '@trendcast/post-text';
import { z } from 'zod';

export const tones = ['neutral', 'enthusiastic', 'professional', 'witty', 'informative'] as const;
export type Tone = (typeof tones)[number];
export const toneSchema = z.enum(tones);

export const channelKindSchema = z.enum(channelKinds);

/** A BCP 47 tag as people write them: `en`, `de-CH`, `pt-BR`, `zh-Hant`. */
export const languageTagSchema = z
  .string()
  .trim()
  .regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/u, 'must be a language tag such as "en" or "pt-BR"')
  .refine((tag) => displayLanguage(tag) !== undefined, 'is not a known language');

/** What the drafts are written from: a finished Trends search, or a topic the person typed. */
export const draftSourceSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('trends'),
    keywords: z.array(z.string().min(1).max(100)).min(1).max(5),
    geo: z.string().max(20),
    summary: trendSummarySchema,
  }),
  z.object({
    kind: z.literal('topic'),
    topic: z.string().trim().min(1).max(500),
  }),
]);
export type DraftSource = z.infer<typeof draftSourceSchema>;

export const generationRequestSchema = z.object({
  source: draftSourceSchema,
  count: z.number().int().min(1).max(10).default(3),
  tone: toneSchema.default('neutral'),
  channel: channelKindSchema.default('timeline'),
  /** A Mastodon instance's own `max_characters`, when known. */
  instanceMaxCharacters: z.number().int().min(1).max(100_000).optional(),
  /** BCP 47; absent means English. */
  language: languageTagSchema.optional(),
  /** Makes the offline drafts (and a seeded model) repeatable: the same seed writes the same drafts. */
  seed: z.union([z.string().max(200), z.number().int()]).optional(),
});
export type GenerationRequestInput = z.input<typeof generationRequestSchema>;
export type GenerationRequest = z.output<typeof generationRequestSchema>;

/** "German" for "de", "Brazilian Portuguese" for "pt-BR"; undefined for a tag no locale data knows. */
export function displayLanguage(tag: string): string | undefined {
  try {
    const name = new Intl.DisplayNames(['en'], { type: 'language', fallback: 'none' }).of(tag);
    return name && name.toLowerCase() !== tag.toLowerCase() ? name : undefined;
  } catch {
    return undefined;
  }
}

export function isEnglish(tag: string | undefined): boolean {
  return tag === undefined || tag.toLowerCase().split('-')[0] === 'en';
}
