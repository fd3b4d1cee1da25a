import type { DomainEvent } from '@trendcast/events';
import { channelKinds, type ChannelKind } from '@trendcast/post-text';
import { tones, type DraftSource, type Tone } from './generation-request.js';

export type SearchGenerationPlan =
  | { ok: true; source: DraftSource; count: number; tone: Tone; channel: ChannelKind }
  | { ok: false; reason: string; count: number; tone: Tone; channel: ChannelKind; source: DraftSource };

/**
 * What a finished search that asked for drafts turns into. Its `generate` is free text from another
 * service: a tone outside the five is written neutral; a channel kind this service cannot write for
 * fails the generation with a reason instead of guessing.
 */
export function planForSearch(data: DomainEvent<'trends.search.completed'>['data'], generate: { count: number; tone: string; channel: string }): SearchGenerationPlan {
  const source: DraftSource = { kind: 'trends', keywords: data.keywords, geo: data.geo, summary: data.summary };
  const lowerTone = generate.tone.trim().toLowerCase();
  const tone: Tone = (tones as readonly string[]).includes(lowerTone) ? (lowerTone as Tone) : 'neutral';
  const channel = generate.channel.trim().toLowerCase();
  if (!(channelKinds as readonly string[]).includes(channel)) {
    return {
      ok: false,
      reason: `Drafts cannot be written for the channel kind "${generate.channel.slice(0, 50)}"; the kinds are ${channelKinds.join(' and ')}.`,
      count: generate.count,
      tone,
      channel: 'timeline',
      source,
    };
  }
  return { ok: true, source, count: generate.count, tone, channel: channel as ChannelKind };
}
