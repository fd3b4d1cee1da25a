import { z } from 'zod';
import { apiRequest, query } from './http.js';
import { pageOf } from './lists.js';
import { channelKinds } from './thinker.js';

export const channelSchema = z.object({
  id: z.string(),
  kind: z.enum(channelKinds),
  name: z.string(),
  handle: z.string().nullable().optional(),
  instanceUrl: z.string().nullable().optional(),
  accountName: z.string().nullable().optional(),
  status: z.enum(['active', 'needs_reconnection']),
  maxCharacters: z.number().int().positive(),
  createdAt: z.string(),
});
export type Channel = z.infer<typeof channelSchema>;

export const postStatuses = ['scheduled', 'publishing', 'published', 'failed', 'cancelled'] as const;
export type PostStatus = (typeof postStatuses)[number];

export const attemptSchema = z.object({
  number: z.number(),
  startedAt: z.string(),
  finishedAt: z.string().nullable().optional(),
  outcome: z.enum(['published', 'rate_limited', 'temporary', 'auth_revoked', 'rejected', 'unknown']),
  error: z.string().nullable().optional(),
});
export type Attempt = z.infer<typeof attemptSchema>;

export const postSchema = z.object({
  id: z.string(),
  channelId: z.string(),
  channelKind: z.enum(channelKinds),
  text: z.string(),
  status: z.enum(postStatuses),
  publishAt: z.string(),
  publishedAt: z.string().nullable().optional(),
  url: z.string().nullable().optional(),
  failureReason: z.string().nullable().optional(),
  draftId: z.string().nullable().optional(),
  sentiment: z.object({ label: z.enum(['negative', 'neutral', 'positive']), score: z.number() }).nullable().optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
  attempts: z.array(attemptSchema).optional(),
});
export type Post = z.infer<typeof postSchema>;

export const timelineEntrySchema = z.object({
  id: z.string(),
  handle: z.string(),
  text: z.string(),
  publishedAt: z.string(),
  url: z.string().nullable().optional(),
  sentiment: z.object({ label: z.enum(['negative', 'neutral', 'positive']) }).nullable().optional(),
});
export type TimelineEntry = z.infer<typeof timelineEntrySchema>;

const enc = encodeURIComponent;

export const tweeterApi = {
  channels: (signal?: AbortSignal) => apiRequest('/tweeter/channels', z.object({ items: z.array(channelSchema) }), signal ? { signal } : {}),
  createTimelineChannel: (input: { name: string; handle: string }) =>
    apiRequest('/tweeter/channels', channelSchema, { method: 'POST', body: { kind: 'timeline', ...input } }),
  authorizeMastodon: (input: { instanceUrl: string; name: string }) =>
    apiRequest('/tweeter/channels/mastodon/authorize', z.object({ authorizeUrl: z.string().url() }), { method: 'POST', body: input }),
  testChannel: (id: string) =>
    apiRequest(`/tweeter/channels/${enc(id)}/test`, z.object({ ok: z.boolean(), accountName: z.string().nullable().optional(), error: z.string().nullable().optional() }), {
      method: 'POST',
    }),
  deleteChannel: (id: string) => apiRequest(`/tweeter/channels/${enc(id)}`, null, { method: 'DELETE' }),
  posts: (o: { status?: string; channelId?: string; cursor?: string | null; signal?: AbortSignal } = {}) =>
    apiRequest(`/tweeter/posts${query({ status: o.status, channelId: o.channelId, limit: 50, cursor: o.cursor })}`, pageOf(postSchema), o.signal ? { signal: o.signal } : {}),
  post: (id: string, signal?: AbortSignal) => apiRequest(`/tweeter/posts/${enc(id)}`, postSchema, signal ? { signal } : {}),
  reschedule: (id: string, publishAt: string) => apiRequest(`/tweeter/posts/${enc(id)}`, postSchema, { method: 'PATCH', body: { publishAt } }),
  cancel: (id: string) => apiRequest(`/tweeter/posts/${enc(id)}`, postSchema, { method: 'DELETE' }),
  timeline: (o: { handle?: string; cursor?: string | null; signal?: AbortSignal } = {}) =>
    apiRequest(
      `/tweeter/timeline${o.handle ? `/${enc(o.handle)}` : ''}${query({ limit: 50, cursor: o.cursor })}`,
      pageOf(timelineEntrySchema),
      { auth: false, ...(o.signal ? { signal: o.signal } : {}) },
    ),
};
