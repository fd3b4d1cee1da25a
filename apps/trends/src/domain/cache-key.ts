import { createHash } from 'node:crypto';
import type { SearchSpec } from './search-request.js';

/**
 * Two searches with the same key ask Google the same question: keywords compared case- and
 * order-insensitively, and a named timeframe matched by name (so "past-7-days" asked twice in an
 * hour is one question).
 */
export function cacheKeyOf(spec: SearchSpec): string {
  const { query } = spec;
  const identity = {
    keywords: query.keywords.map((keyword) => keyword.toLowerCase()).sort(),
    geo: query.geo,
    period: spec.timeframe ?? `${query.startTime.toISOString()}/${query.endTime.toISOString()}`,
    category: query.category,
    property: query.property,
  };
  return createHash('sha256').update(JSON.stringify(identity)).digest('hex');
}
