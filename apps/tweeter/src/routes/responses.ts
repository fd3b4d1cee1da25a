import { channelKinds } from '@trendcast/post-text';
import { z } from 'zod';
import { channelStatuses } from '../db/schema.js';
import { postStatuses } from '../domain/post-state.js';

/**
 * What the routes answer, as response schemas: the OpenAPI document shows them, and fastify checks
 * every answer against them, so a field not listed here (sealed credentials) never leaves the service.
 */

const timestamp = z.iso.datetime();
const nextCursor = z.string().nullable().describe('Pass as `cursor` for the next page; null on the last');
const sentimentLabel = z.enum(['negative', 'neutral', 'positive']);

export const channelResponse = z
  .object({
    id: z.uuid(),
    kind: z.enum(channelKinds),
    name: z.string(),
    handle: z.string().nullable(),
    instanceUrl: z.string().nullable(),
    accountName: z.string().nullable(),
    status: z.enum(channelStatuses),
    maxCharacters: z.number().int().positive(),
    createdAt: timestamp,
  })
  .meta({ id: 'Channel' });

export const channelListResponse = z.object({ items: z.array(channelResponse) });

export const channelTestResponse = z.object({ ok: z.boolean(), accountName: z.string().nullable(), error: z.string().nullable() });

export const authorizeResponse = z.object({ authorizeUrl: z.string().describe('Send the browser here; it comes back to /channels') });

export const attemptResponse = z.object({
  number: z.number().int(),
  startedAt: timestamp,
  finishedAt: timestamp.nullable(),
  outcome: z.enum(['published', 'rate_limited', 'temporary', 'auth_revoked', 'rejected', 'unknown']),
  error: z.string().nullable(),
});

export const postResponse = z
  .object({
    id: z.uuid(),
    channelId: z.uuid(),
    channelKind: z.enum(channelKinds),
    text: z.string(),
    status: z.enum(postStatuses),
    publishAt: timestamp,
    publishedAt: timestamp.nullable(),
    url: z.string().nullable(),
    failureReason: z.string().nullable(),
    draftId: z.uuid().nullable(),
    sentiment: z.object({ label: sentimentLabel, score: z.number() }).nullable(),
    createdAt: timestamp,
    updatedAt: timestamp,
    attempts: z.array(attemptResponse).optional().describe('Every attempt, on GET /tweeter/posts/:id'),
  })
  .meta({ id: 'Post' });

export const postPageResponse = z.object({ items: z.array(postResponse), nextCursor });

export const timelineEntryResponse = z
  .object({
    id: z.uuid(),
    handle: z.string(),
    text: z.string(),
    publishedAt: timestamp,
    url: z.string().nullable(),
    sentiment: z.object({ label: sentimentLabel }).nullable(),
  })
  .meta({ id: 'TimelineEntry' });

export const timelinePageResponse = z.object({ items: z.array(timelineEntryResponse), nextCursor });
