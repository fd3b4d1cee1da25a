/**
 * An error meant for the client: the error handler answers with its status and
 * `{ error: message, code, details }`. Use it for expected outcomes (not found, conflict, forbidden).
 */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    /** Extra response headers, e.g. WWW-Authenticate on a 401. */
    readonly headers?: Record<string, string>,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'HttpError';
  }
}

export function isHttpError(error: unknown): error is HttpError {
  return error instanceof HttpError;
}

/** The body of every error response. */
export interface ErrorBody {
  error: string;
  code: string;
  details?: unknown;
}

export const badRequest = (message: string, details?: unknown) => new HttpError(400, 'BAD_REQUEST', message, details);
export const unauthenticated = (message = 'Authentication required') => new HttpError(401, 'UNAUTHENTICATED', message);
export const forbidden = (message = 'Not allowed') => new HttpError(403, 'FORBIDDEN', message);
export const notFound = (message = 'Not found') => new HttpError(404, 'NOT_FOUND', message);
export const conflict = (message: string, details?: unknown) => new HttpError(409, 'CONFLICT', message, details);
export const tooManyRequests = (message = 'Too many requests') => new HttpError(429, 'RATE_LIMITED', message);
export const serviceUnavailable = (message = 'Service unavailable') =>
  new HttpError(503, 'SERVICE_UNAVAILABLE', message);
