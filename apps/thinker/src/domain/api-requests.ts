import { channelKinds } from '@trendcast/post-text';
import { safeText } from '@trendcast/service-kit';
import { z } from 'zod';
import { languageTagSchema, tones } from './generation-request.js';

/** POST /thinker/generations: drafts about a topic the person typed, or from one of their finished Trends searches. */
export const generationRequestBodySchema = z
  .strictObject({
    topic: safeText({ lineBreaks: true }).trim().min(1).max(500).optional().describe('What the drafts are about (untrusted: fenced off from the instructions)'),
    trendSearchId: z.uuid().optional().describe('One of your completed Trends searches; its summary grounds the drafts'),
    count: z.number().int().min(1).max(10).default(3),
    tone: z.enum(tones).default('neutral'),
    channel: z.enum(channelKinds).default('timeline'),
    language: languageTagSchema.optional().describe('BCP 47; absent means English (other languages need the language model)'),
  })
  .refine((body) => (body.topic === undefined) !== (body.trendSearchId === undefined), {
    error: 'give exactly one of topic and trendSearchId',
    path: ['topic'],
  });

export const draftEditSchema = z.strictObject({
  text: safeText({ lineBreaks: true }).trim().min(1).max(5000),
});

export const approveBodySchema = z.strictObject({
  channelId: z.uuid().describe('The channel (tweeter) to publish on'),
  publishAt: z.iso.datetime({ offset: true }).optional().describe('When to publish; now when absent'),
  override: z.boolean().default(false).describe('Approve even though the draft reads as negative beyond the threshold'),
});

export const sentimentBodySchema = z.strictObject({
  texts: z.array(safeText({ lineBreaks: true, tabs: true }).max(5000)).min(1).max(100),
});
