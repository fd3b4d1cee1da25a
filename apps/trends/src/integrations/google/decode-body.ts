import { GoogleTrendsError } from './google-trends-error.js';

/**
 * Google prefixes its JSON with an anti-XSSI guard: `)]}'` before explore answers and `)]}',`
 * before widget data, each followed by a newline. google-trends-api strips it when the rest parses,
 * and hands back the untouched body when it does not, so both forms arrive here.
 */
const xssiGuard = /^\s*\)\]\}'\s*,?/;

export interface ResponseFacts {
  /** The HTTP status seen on the wire, when known (google-trends-api itself never reports it). */
  status?: number;
  retryAfterMs?: number;
}

/** Turns a body from Google into parsed JSON, or throws a GoogleTrendsError saying what it was instead. */
export function decodeGoogleBody(body: string, what: string, facts: ResponseFacts = {}): unknown {
  const text = body.replace(xssiGuard, '').trim();
  if (facts.status === 429 || looksRateLimited(text)) {
    throw new GoogleTrendsError(
      'rate_limited',
      `Google Trends answered 429 Too Many Requests while fetching ${what}`,
      withStatus(facts, 429, text),
    );
  }
  if (text === '') {
    throw new GoogleTrendsError('empty_body', `Google Trends sent an empty answer for ${what}`, withStatus(facts, facts.status, text));
  }
  if (text.startsWith('<')) {
    const title = htmlTitle(text);
    throw new GoogleTrendsError(
      'html_page',
      `Google Trends sent an HTML page${title ? ` ("${title}")` : ''} instead of ${what}`,
      withStatus(facts, facts.status ?? statusFromTitle(title), text),
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    const cutShort = text.startsWith('{') || text.startsWith('[');
    throw new GoogleTrendsError(
      'not_json',
      cutShort
        ? `Google Trends' answer for ${what} was cut short (incomplete JSON)`
        : `Google Trends sent something that is not JSON for ${what}`,
      withStatus(facts, facts.status, text),
    );
  }
  if (parsed === null || isEmptyContainer(parsed)) {
    throw new GoogleTrendsError('empty_body', `Google Trends sent an empty result for ${what}`, withStatus(facts, facts.status, text));
  }
  return parsed;
}

function withStatus(facts: ResponseFacts, status: number | undefined, text: string) {
  const details: { status?: number; retryAfterMs?: number; bodyStart: string } = { bodyStart: text.slice(0, 200) };
  if (status !== undefined) details.status = status;
  if (facts.retryAfterMs !== undefined) details.retryAfterMs = facts.retryAfterMs;
  return details;
}

function looksRateLimited(text: string): boolean {
  if (!text.startsWith('<')) return false;
  const lower = text.toLowerCase();
  return (
    lower.includes('error 429') ||
    lower.includes('too many requests') ||
    lower.includes('unusual traffic from your computer network')
  );
}

function htmlTitle(html: string): string | undefined {
  const match = /<title[^>]*>([^<]*)<\/title>/i.exec(html);
  return match?.[1]?.trim() || undefined;
}

function statusFromTitle(title: string | undefined): number | undefined {
  const match = title ? /Error (\d{3})/.exec(title) : null;
  return match ? Number(match[1]) : undefined;
}

function isEmptyContainer(value: unknown): boolean {
  if (Array.isArray(value)) return value.length === 0;
  return typeof value === 'object' && value !== null && Object.keys(value).length === 0;
}
