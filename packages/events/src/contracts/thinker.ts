import { z } from 'zod';
import { defineEvent } from '../define-event.js';
import { isoDateTime, userId } from './shared.js';

export const sentimentSchema = z.object({
  label: z.enum(['positive', 'neutral', 'negative']),
  /** -1 (most negative) … 1 (most positive). */
  score: z.number().min(-1).max(1),
  scorer: z.string().min(1).max(100),
});

export const draftsGenerated = defineEvent('thinker.drafts.generated', 1, z.object({
  generationId: z.uuid(),
  userId,
  searchId: z.uuid().optional(),
  model: z.string().min(1).max(100),
  drafts: z.array(z.object({
    id: z.uuid(),
    text: z.string().min(1).max(5000),
    sentiment: sentimentSchema,
  })).min(1).max(10),
}));

export const generationFailed = defineEvent('thinker.generation.failed', 1, z.object({
  generationId: z.uuid(),
  userId,
  searchId: z.uuid().optional(),
  reason: z.string().min(1).max(1000),
}));

export const draftApproved = defineEvent('thinker.draft.approved', 1, z.object({
  draftId: z.uuid(),
  userId,
  text: z.string().min(1).max(5000),
  channelId: z.uuid(),
  publishAt: isoDateTime,
  /** The approved text's score, so the post and the public timeline can show it. */
  sentiment: sentimentSchema.optional(),
}));
