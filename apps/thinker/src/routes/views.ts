import type { DraftRow, GenerationRow } from '../db/schema.js';

export function draftView(draft: DraftRow) {
  return {
    id: draft.id,
    generationId: draft.generationId,
    text: draft.text,
    channel: draft.channel,
    status: draft.status,
    sentiment: { label: draft.sentimentLabel, score: draft.sentimentScore, confidence: draft.sentimentConfidence, model: draft.sentimentModel },
    model: draft.model,
    shortened: draft.shortened,
    channelId: draft.channelId,
    publishAt: draft.publishAt?.toISOString() ?? null,
    publishedUrl: draft.publishedUrl,
    publishedAt: draft.publishedAt?.toISOString() ?? null,
    createdAt: draft.createdAt.toISOString(),
    updatedAt: draft.updatedAt.toISOString(),
  };
}

export function generationView(generation: GenerationRow, publicBaseUrl: string) {
  return {
    id: generation.id,
    status: generation.status,
    statusUrl: statusUrlOf(generation.id, publicBaseUrl),
    reason: generation.reason,
    topic: generation.topic,
    trendSearchId: generation.searchId,
    count: generation.count,
    tone: generation.tone,
    channel: generation.channel,
    language: generation.language,
    model: generation.model,
    fallbackReason: generation.fallbackReason,
    createdAt: generation.createdAt.toISOString(),
    updatedAt: generation.updatedAt.toISOString(),
    completedAt: generation.completedAt?.toISOString() ?? null,
  };
}

/** Where a client polls a generation: the public API path through the gateway. */
export function statusUrlOf(generationId: string, publicBaseUrl: string): string {
  return `${publicBaseUrl.replace(/\/$/, '')}/api/thinker/generations/${generationId}`;
}
