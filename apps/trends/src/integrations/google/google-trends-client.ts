import googleTrends, { type InterestQuery } from 'google-trends-api';
import type { RequestGate } from './request-gate.js';
import { decodeGoogleBody, type ResponseFacts } from './decode-body.js';
import { GoogleTrendsError } from './google-trends-error.js';
import { parseInterestByRegion, parseInterestOverTime, parseRelatedQueries, parseRelatedTopics } from './parsers.js';
import type { InterestByRegion, InterestOverTime, RelatedQueries, RelatedTopics } from './trend-data.js';
import { TrendsAgent, type ObservedResponse } from './trends-agent.js';
import { libraryProperty, type TrendsQuery } from './trends-query.js';

export interface GoogleTrendsClientOptions {
  /** Every library call waits its turn here: Google blocks clients that ask too often. */
  gate: RequestGate;
  /** Longest a whole call (explore + widget data, and the library's own 429 retry) may take. */
  timeoutMs: number;
  /** Plain-HTTP origin to use instead of https://trends.google.com (offline development, tests). */
  origin?: URL;
  /** Interface language of the answers (names of regions, formatted dates). */
  hl?: string;
}

type LibraryCall = 'interestOverTime' | 'interestByRegion' | 'relatedQueries' | 'relatedTopics';

/**
 * google-trends-api behind a typed, validated interface. The library resolves with whatever body
 * Google sent (an HTML error page included) and never reports a status, so each answer is decoded
 * and checked here; every failure becomes a GoogleTrendsError that says whether retrying can help.
 */
export class GoogleTrendsClient {
  constructor(private readonly options: GoogleTrendsClientOptions) {}

  interestOverTime(query: TrendsQuery): Promise<InterestOverTime> {
    return this.call('interestOverTime', this.libraryQuery(query, query.keywords), (body, facts) =>
      parseInterestOverTime(body, query.keywords, facts),
    );
  }

  async interestByRegion(query: TrendsQuery): Promise<InterestByRegion> {
    try {
      return await this.call('interestByRegion', this.libraryQuery(query, query.keywords), (body, facts) =>
        parseInterestByRegion(body, query.keywords, facts),
      );
    } catch (error) {
      // Google offers no region map below the finest level it knows (e.g. inside a metro area).
      if (error instanceof GoogleTrendsError && error.kind === 'missing_widget') {
        return { keywords: query.keywords, regions: [] };
      }
      throw error;
    }
  }

  /** Related queries of one keyword: with several keywords Google gives one widget per keyword and the library only reads the first. */
  relatedQueries(query: TrendsQuery, keyword: string): Promise<RelatedQueries> {
    return this.call('relatedQueries', this.libraryQuery(query, keyword), (body, facts) =>
      parseRelatedQueries(body, keyword, facts),
    );
  }

  /** Related topics of one keyword: Google only offers them for a single-keyword explore. */
  relatedTopics(query: TrendsQuery, keyword: string): Promise<RelatedTopics> {
    return this.call('relatedTopics', this.libraryQuery(query, keyword), (body, facts) =>
      parseRelatedTopics(body, keyword, facts),
    );
  }

  private libraryQuery(query: TrendsQuery, keyword: string | string[]): InterestQuery {
    return {
      keyword,
      startTime: query.startTime,
      endTime: query.endTime,
      geo: query.geo,
      category: query.category,
      property: libraryProperty(query.property),
      hl: this.options.hl ?? 'en-US',
      // Answers in UTC, so stored times do not depend on where the worker runs.
      timezone: 0,
      granularTimeResolution: true,
    };
  }

  private async call<T>(
    method: LibraryCall,
    query: InterestQuery,
    parse: (body: string, facts: ResponseFacts) => T,
  ): Promise<T> {
    const what = describe(method, query);
    return this.options.gate.run(async () => {
      const agent = new TrendsAgent({ socketTimeoutMs: this.options.timeoutMs, ...(this.options.origin ? { redirectTo: this.options.origin } : {}) });
      try {
        const body = await withTimeout(googleTrends[method](withHiddenAgent(query, agent)), this.options.timeoutMs, what);
        return parse(body, factsOf(agent.lastResponse));
      } catch (error) {
        throw classifyFailure(error, agent.lastResponse, what);
      } finally {
        agent.destroy();
      }
    });
  }
}

/**
 * The library copies every field of the query into each comparison item and JSON-encodes them into
 * the request URL; a non-enumerable `agent` is still read by the library but left out of that copy.
 */
function withHiddenAgent(query: InterestQuery, agent: TrendsAgent): InterestQuery {
  const copy = { ...query };
  Object.defineProperty(copy, 'agent', { value: agent, enumerable: false });
  return copy;
}

function factsOf(response: ObservedResponse | undefined): ResponseFacts {
  if (!response) return {};
  const facts: ResponseFacts = { status: response.status };
  if (response.retryAfterMs !== undefined) facts.retryAfterMs = response.retryAfterMs;
  return facts;
}

/** Maps whatever the library rejected with (SyntaxError with requestBody, plain objects, socket errors) to a GoogleTrendsError. */
export function classifyFailure(error: unknown, last: ObservedResponse | undefined, what: string): GoogleTrendsError {
  if (error instanceof GoogleTrendsError) return error;
  const facts = factsOf(last);
  const failure = error as { message?: unknown; requestBody?: unknown; code?: unknown } | null;
  if (typeof failure?.code === 'string') {
    return new GoogleTrendsError('network', `Could not reach Google Trends for ${what} (${failure.code})`);
  }
  if (failure?.message === 'Available widgets does not contain selected api type') {
    return new GoogleTrendsError('missing_widget', `Google Trends offered no widget for ${what}`);
  }
  if (typeof failure?.message === 'string' && /^(Must|Geo length|startTime|endTime|Callback)/.test(failure.message)) {
    return new GoogleTrendsError('invalid_query', `The query for ${what} was refused: ${failure.message}`);
  }
  // The library failed to read the explore answer: decode that body ourselves to say what it was.
  const body = typeof failure?.requestBody === 'string' ? failure.requestBody : last?.body();
  if (body !== undefined) {
    try {
      decodeGoogleBody(body, what, facts);
    } catch (decoded) {
      if (decoded instanceof GoogleTrendsError) return decoded;
    }
  }
  if (last && last.status >= 500) {
    return new GoogleTrendsError('network', `Google Trends answered ${last.status} for ${what}`, { status: last.status });
  }
  const message = typeof failure?.message === 'string' ? failure.message : String(error);
  return new GoogleTrendsError('unexpected_shape', `Google Trends answered ${what} in a way this service cannot read (${message})`);
}

async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new GoogleTrendsError('timeout', `Google Trends did not answer ${what} within ${Math.round(ms / 1000)} s`)),
      ms,
    );
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function describe(method: LibraryCall, query: InterestQuery): string {
  const keywords = (Array.isArray(query.keyword) ? query.keyword : [query.keyword]).map((k) => `"${k}"`).join(', ');
  const names: Record<LibraryCall, string> = {
    interestOverTime: 'interest over time',
    interestByRegion: 'interest by region',
    relatedQueries: 'related queries',
    relatedTopics: 'related topics',
  };
  return `${names[method]} for ${keywords}`;
}
