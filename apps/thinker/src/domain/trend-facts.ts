import type { DraftSource } from './generation-request.js';
import { referencesIn } from './references.js';
import { normalizeForChecks } from './text-normalization.js';
import { describeGeo, describeGrowth, describePeriod, formatDay, growthStrength } from './trend-wording.js';
import { looksLikeInjection } from './untrusted-data.js';

type TrendsSource = Extract<DraftSource, { kind: 'trends' }>;

/** What the offline drafts may state, every piece taken from the search and safe to quote. */
export interface TrendFacts {
  keywords: string[];
  place: string;
  period: string;
  /** Strongest first. */
  rising: Array<{ keyword: string; query: string; growth: string }>;
  /** Highest first, then earliest. */
  peaks: Array<{ keyword: string; day: string; value: number }>;
  top: Array<{ keyword: string; query: string }>;
  topRegion: string | undefined;
  averages: Array<{ keyword: string; value: number }>;
}

const maxQuotedLength = 80;

export function trendFacts(source: TrendsSource): TrendFacts {
  const { summary } = source;
  const keyword = (name: string) => quotable(name) ?? 'this search';
  const rising = summary.risingQueries
    .map((item) => ({ keyword: keyword(item.keyword), query: quotable(item.query), growth: describeGrowth(item.value), strength: growthStrength(item.value) }))
    .filter((item): item is typeof item & { query: string } => item.query !== undefined)
    .sort((a, b) => b.strength - a.strength)
    .map(({ keyword: name, query, growth }) => ({ keyword: name, query, growth }));
  const peaks = [...summary.peaks]
    .sort((a, b) => b.value - a.value || a.date.localeCompare(b.date))
    .map((peak) => ({ keyword: keyword(peak.keyword), day: formatDay(peak.date), value: peak.value }));
  const top = summary.topQueries
    .map((item) => ({ keyword: keyword(item.keyword), query: quotable(item.query) }))
    .filter((item): item is { keyword: string; query: string } => item.query !== undefined);
  const topRegion = summary.topRegions.map((region) => quotable(region.name)).find((name) => name !== undefined);
  return {
    keywords: source.keywords.map(keyword),
    place: describeGeo(source.geo),
    period: describePeriod(summary.timeframe.start, summary.timeframe.end),
    rising,
    peaks,
    top,
    topRegion,
    averages: summary.averages.map((average) => ({ keyword: keyword(average.keyword), value: Math.round(average.value) })),
  };
}

/**
 * Third-party text fit to quote in a post: short, one line, no markup, no link, handle or address,
 * nothing that reads like an instruction. Anything else is left out of offline drafts.
 */
export function quotable(text: string): string | undefined {
  if (looksLikeInjection(text)) return undefined;
  const cleaned = normalizeForChecks(text).replace(/\s+/gu, ' ').replaceAll('"', "'").trim();
  if (!cleaned || cleaned.length > maxQuotedLength || !/[\p{L}\p{N}]/u.test(cleaned)) return undefined;
  if (/[<>{}[\]\\|`]/u.test(cleaned) || referencesIn(cleaned).length > 0) return undefined;
  return cleaned;
}
