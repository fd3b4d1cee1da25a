/** What went wrong when asking Google Trends; decides whether another attempt can help. */
export type GoogleFailureKind =
  | 'rate_limited' // 429 Too Many Requests
  | 'html_page' // an HTML page (error page, consent or "unusual traffic" page) instead of data
  | 'not_json' // a body that is neither HTML nor JSON, or JSON cut short
  | 'empty_body' // nothing at all
  | 'no_data' // a well-formed answer holding no data points
  | 'network' // connection refused, reset, DNS failure
  | 'timeout' // no complete answer in time
  | 'unexpected_shape' // JSON that does not match the format we know: Google changed something
  | 'missing_widget' // the explore answer offers no widget of the asked kind for this query
  | 'invalid_query'; // the client library refused the query before sending it

const retryableKinds = new Set<GoogleFailureKind>([
  'rate_limited',
  'html_page',
  'not_json',
  'empty_body',
  'no_data',
  'network',
  'timeout',
]);

export class GoogleTrendsError extends Error {
  readonly retryable: boolean;

  constructor(
    readonly kind: GoogleFailureKind,
    /** A sentence a person can read, e.g. in the "search failed" email. */
    readonly reason: string,
    readonly details: { status?: number; retryAfterMs?: number; bodyStart?: string } = {},
  ) {
    super(reason);
    this.name = 'GoogleTrendsError';
    this.retryable = retryableKinds.has(kind);
  }

  get retryAfterMs(): number | undefined {
    return this.details.retryAfterMs;
  }
}

export function isGoogleTrendsError(error: unknown): error is GoogleTrendsError {
  return error instanceof GoogleTrendsError;
}
