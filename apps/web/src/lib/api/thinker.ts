import { z } from 'zod';
import { apiRequest, query } from './http.js';
import { pageOf } from './lists.js';

export const tones = [
  ['neutral', 'Neutral'],
  ['enthusiastic', 'Enthusiastic'],
  ['professional', 'Professional'],
  ['witty', 'Witty'],
  ['informative', 'Informative'],
] as const;
export type Tone = (typeof tones)[number][0];

export const channelKinds = ['timeline', 'mastodon'] as const;
export type ChannelKind = (typeof channelKinds)[number];

export const sentimentSchema = z.object({
  label: z.enum(['negative', 'neutral', 'positive']),
  score: z.number(),
  confidence: z.number().optional(),
  model: z.string().optional(),
});
export type Sentiment = z.infer<typeof sentimentSchema>;

export const draftStatuses = ['draft', 'approved', 'published', 'rejected'] as const;
export const draftSchema = z.object({
  id: z.string(),
  generationId: z.string(),
  text: z.string(),
  channel: z.enum(channelKinds),
  status: z.enum(draftStatuses),
  sentiment: sentimentSchema,
  model: z.string().optional(),
  channelId: z.string().nullable().optional(),
  publishAt: z.string().nullable().optional(),
  publishedUrl: z.string().nullable().optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Draft = z.infer<typeof draftSchema>;

export const generationSchema = z.object({
  id: z.string(),
  status: z.enum(['queued', 'running', 'completed', 'failed']),
  reason: z.string().nullable().optional(),
  topic: z.string().nullable().optional(),
  trendSearchId: z.string().nullable().optional(),
  count: z.number(),
  tone: z.string(),
  channel: z.enum(channelKinds),
  language: z.string().nullable().optional(),
  model: z.string().nullable().optional(),
  createdAt: z.string(),
  completedAt: z.string().nullable().optional(),
  drafts: z.array(draftSchema).default([]),
});
export type Generation = z.infer<typeof generationSchema>;

export interface GenerationRequest {
  topic?: string;
  trendSearchId?: string;
  count: number;
  tone: Tone;
  channel: ChannelKind;
}

const enc = encodeURIComponent;

export const thinkerApi = {
  generate: (request: GenerationRequest) =>
    apiRequest('/thinker/generations', z.object({ id: z.string(), status: z.string() }), { method: 'POST', body: request }),
  generation: (id: string, signal?: AbortSignal) => apiRequest(`/thinker/generations/${enc(id)}`, generationSchema, signal ? { signal } : {}),
  generations: (o: { cursor?: string | null; signal?: AbortSignal } = {}) =>
    apiRequest(`/thinker/generations${query({ limit: 20, cursor: o.cursor })}`, pageOf(generationSchema), o.signal ? { signal: o.signal } : {}),
  drafts: (o: { generationId?: string; status?: string; cursor?: string | null; signal?: AbortSignal } = {}) =>
    apiRequest(
      `/thinker/drafts${query({ generationId: o.generationId, status: o.status, limit: 100, cursor: o.cursor })}`,
      pageOf(draftSchema),
      o.signal ? { signal: o.signal } : {},
    ),
  editDraft: (id: string, text: string) => apiRequest(`/thinker/drafts/${enc(id)}`, draftSchema, { method: 'PATCH', body: { text } }),
  approveDraft: (id: string, body: { channelId: string; publishAt?: string; override?: boolean }) =>
    apiRequest(`/thinker/drafts/${enc(id)}/approve`, draftSchema, { method: 'POST', body }),
  rejectDraft: (id: string) => apiRequest(`/thinker/drafts/${enc(id)}/reject`, draftSchema, { method: 'POST' }),
};
