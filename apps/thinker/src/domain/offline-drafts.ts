import { fitToLimit, type ChannelLimit } from '@trendcast/post-text';
import { allowedReferences } from './draft-checks.js';
import type { DraftSource, Tone } from './generation-request.js';
import {
  averageLines,
  closings,
  noDataLines,
  peakLeads,
  regionLines,
  risingLeads,
  topicLines,
  topicOpenings,
  topQueryLines,
  trendOpenings,
} from './offline-phrases.js';
import { referencesIn } from './references.js';
import { seededRandom, shuffled } from './seeded-random.js';
import { normalizeForChecks } from './text-normalization.js';
import { trendFacts, type TrendFacts } from './trend-facts.js';

/** The `model` of drafts written without a language model. */
export const offlineModelName = 'offline';

export interface OfflineDraftsRequest {
  source: DraftSource;
  count: number;
  tone: Tone;
  limit: ChannelLimit;
  seed?: string | number | undefined;
}

/** Longest stretch of a topic quoted in a draft. */
const topicCharacters = 140;

/**
 * English drafts written from the search itself: each leads with a real rising search or a peak and
 * its date, adds a supporting figure (top region, average, top search) and closes in the tone; each
 * starts with its own opening. A topic without data gets drafts that state the topic and claim no
 * figures. The same request and seed always give the same drafts; every draft fits the limit.
 */
export function writeOfflineDrafts(request: OfflineDraftsRequest): string[] {
  const random = seededRandom(`${request.seed ?? ''}|${request.tone}|${request.count}|${JSON.stringify(request.source)}`);
  const drafts = request.source.kind === 'trends' ? trendDrafts(trendFacts(request.source), request, random) : topicDrafts(request.source, request, random);
  return drafts.map((parts) => fit(parts, request.limit));
}

/** A draft's sentences: the lead carries the fact, the others may go when space is short. */
interface DraftParts {
  opening: string;
  lead: string;
  support: string;
  closing: string;
}

function trendDrafts(facts: TrendFacts, request: OfflineDraftsRequest, random: () => number): DraftParts[] {
  const openings = shuffled(trendOpenings[request.tone], random);
  const endings = shuffled(closings[request.tone], random);
  const where = facts.place === 'worldwide' ? 'worldwide' : `in ${facts.place}`;

  // Leads alternate between rising searches and peaks, so several drafts cover several facts.
  const leads: Array<(variant: number) => string> = [];
  for (let i = 0; i < Math.max(facts.rising.length, facts.peaks.length); i += 1) {
    const rising = facts.rising[i];
    const peak = facts.peaks[i];
    if (rising) leads.push((variant) => pick(risingLeads, variant)({ ...rising, where }));
    if (peak) leads.push((variant) => pick(peakLeads, variant)(peak));
  }
  if (leads.length === 0) {
    const keyword = facts.keywords.join(' and ');
    leads.push((variant) => pick(noDataLines, variant)({ keyword, place: facts.place, period: facts.period }));
  }

  const supports: Array<(variant: number) => string> = [];
  if (facts.topRegion) supports.push((variant) => pick(regionLines, variant)(facts.topRegion as string));
  for (const average of facts.averages.slice(0, 1)) supports.push((variant) => pick(averageLines, variant)({ ...average, period: facts.period }));
  for (const top of facts.top.slice(0, 1)) supports.push((variant) => pick(topQueryLines, variant)(top));

  const variantOffset = Math.floor(random() * 4);
  const supportOffset = Math.floor(random() * 4);
  return Array.from({ length: request.count }, (_, i) => {
    const round = Math.floor(i / leads.length);
    const lead = pick(leads, i)(variantOffset + i + round);
    const support = supports.length > 0 ? pick(supports, supportOffset + i)(i + round) : '';
    return { opening: pick(openings, i), lead, support, closing: pick(endings, i) };
  });
}

function topicDrafts(source: Extract<DraftSource, { kind: 'topic' }>, request: OfflineDraftsRequest, random: () => number): DraftParts[] {
  const subject = quotedTopic(source);
  const openings = shuffled(topicOpenings[request.tone], random);
  const endings = shuffled(closings[request.tone], random);
  const lineOffset = Math.floor(random() * topicLines.length);
  return Array.from({ length: request.count }, (_, i) => ({
    opening: pick(openings, i),
    lead: pick(topicLines, lineOffset + i)(subject),
    support: '',
    closing: pick(endings, i),
  }));
}

/** The topic as a draft may quote it: one line, no link or handle the rules would refuse, not too long. */
function quotedTopic(source: Extract<DraftSource, { kind: 'topic' }>): string {
  const allowed = allowedReferences(source);
  let text = normalizeForChecks(source.topic).replace(/\s+/gu, ' ').trim();
  for (const reference of referencesIn(text)) {
    if (!allowed.has(reference.key)) text = text.replace(reference.text, '');
  }
  text = text.replace(/\s+/gu, ' ').replace(/[<>]/gu, '').trim();
  const short = fitToLimit(text, topicCharacters).text;
  return short || 'this topic';
}

/** The fullest version that fits: without the support, then the closing, then the opening; the lead alone is shortened last. */
function fit({ opening, lead, support, closing }: DraftParts, limit: ChannelLimit): string {
  const versions = [
    [opening, lead, support, closing],
    [opening, lead, closing],
    [opening, lead],
    [lead],
  ];
  for (const parts of versions) {
    const text = parts.filter((part) => part.length > 0).join(' ');
    const fitted = fitToLimit(text, limit.maxCharacters, limit.rules);
    if (!fitted.trimmed) return fitted.text;
  }
  return fitToLimit(lead, limit.maxCharacters, limit.rules).text;
}

function pick<T>(items: readonly T[], index: number): T {
  return items[((index % items.length) + items.length) % items.length] as T;
}
