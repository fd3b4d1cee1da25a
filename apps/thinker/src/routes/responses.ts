import { channelKinds } from '@trendcast/post-text';
import { z } from 'zod';
import { draftStatuses, generationStatuses } from '../db/schema.js';
import { tones } from '../domain/generation-request.js';
import { sentimentLabels } from '../sentiment/sentiment-scorer.js';

/**
 * What the main routes answer, as response schemas: the OpenAPI document shows them, and fastify
 * checks every answer against them (a field not listed here never leaves the service).
 */

const timestamp = z.iso.datetime();
const nextCursor = z.string().nullable().describe('Pass as `cursor` for the next page; null on the last');

export const sentimentResponse = z
  .object({
    label: z.enum(sentimentLabels),
    score: z.number().min(-1).max(1).describe('−1 (surely negative) … 1 (surely positive)'),
    confidence: z.number().min(0).max(1).describe('How sure the scorer is of the label'),
    model: z.string().describe('The scorer and model that answered, e.g. offline-linear@…'),
  })
  .meta({ id: 'Sentiment' });

export const draftResponse = z
  .object({
    id: z.uuid(),
    generationId: z.uuid(),
    text: z.string(),
    channel: z.enum(channelKinds),
    status: z.enum(draftStatuses),
    sentiment: sentimentResponse,
    model: z.string().describe('The model that wrote it, or "offline"'),
    shortened: z.boolean().describe('Cut to the channel limit by the service'),
    channelId: z.uuid().nullable(),
    publishAt: timestamp.nullable(),
    publishedUrl: z.string().nullable(),
    publishedAt: timestamp.nullable(),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .meta({ id: 'Draft' });

export const draftPageResponse = z.object({ items: z.array(draftResponse), nextCursor });

export const generationAcceptedResponse = z
  .object({ id: z.uuid(), status: z.enum(generationStatuses), statusUrl: z.string().describe('Poll it until status is completed or failed') })
  .describe('Accepted: the drafts are written in the background (Location names statusUrl too)');

export const generationResponse = z
  .object({
    id: z.uuid(),
    status: z.enum(generationStatuses),
    statusUrl: z.string(),
    reason: z.string().nullable().describe('Why it failed'),
    topic: z.string().nullable(),
    trendSearchId: z.uuid().nullable(),
    count: z.number().int(),
    tone: z.enum(tones),
    channel: z.enum(channelKinds),
    language: z.string().nullable(),
    model: z.string().nullable().describe('The model that wrote the drafts, or "offline"'),
    fallbackReason: z.string().nullable().describe('Set when the model failed and the drafts were written offline'),
    createdAt: timestamp,
    updatedAt: timestamp,
    completedAt: timestamp.nullable(),
  })
  .meta({ id: 'Generation' });

export const generationPageResponse = z.object({ items: z.array(generationResponse), nextCursor });

export const generationDetailResponse = generationResponse
  .extend({ drafts: z.array(draftResponse).describe('In the order they were written; empty until completed') })
  .meta({ id: 'GenerationWithDrafts' });

export const sentimentBatchResponse = z.object({ results: z.array(sentimentResponse).describe('One per text, in order') });

export const modelsResponse = z.object({
  default: z.string().describe('The model generations use: the configured Ollama model, or "offline"'),
  models: z.array(z.object({ name: z.string(), source: z.enum(['ollama', 'offline']) })),
  ollamaError: z.string().optional().describe('Set when Ollama is configured but could not be asked'),
});
