/**
 * Why an outbound request got no usable answer. `mayHaveReachedServer` is false only when the
 * request certainly never left (refused destination, DNS failure, connection refused); a POST that
 * failed with it true may have taken effect.
 */
export type OutboundErrorCode =
  | 'DESTINATION_REFUSED' // the address is private, loopback, link-local…
  | 'SCHEME_REFUSED' // not https (or http where allowed), or credentials in the URL
  | 'DNS_FAILED'
  | 'CONNECT_FAILED'
  | 'TIMEOUT'
  | 'CONNECTION_LOST'
  | 'RESPONSE_TOO_LARGE'
  | 'TOO_MANY_REDIRECTS';

export class OutboundRequestError extends Error {
  override readonly name = 'OutboundRequestError';

  constructor(
    readonly code: OutboundErrorCode,
    message: string,
    readonly mayHaveReachedServer: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export function isOutboundRequestError(error: unknown): error is OutboundRequestError {
  return error instanceof OutboundRequestError;
}
