import type { FastifyError, FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { DomainError, type DomainErrorStatuses } from './domain-error.js';
import { HttpError, type ErrorBody } from './errors.js';

export interface ValidationDetail {
  /** Where the bad value is, e.g. "body.address.city" or "querystring.limit". */
  path: string;
  message: string;
}

export interface ErrorResponse {
  statusCode: number;
  body: ErrorBody;
  headers?: Record<string, string>;
}

const internal: ErrorResponse = { statusCode: 500, body: { error: 'Internal error', code: 'INTERNAL' } };

const codeForStatus: Record<number, string> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  406: 'NOT_ACCEPTABLE',
  408: 'REQUEST_TIMEOUT',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'RATE_LIMITED',
};

/**
 * Decides what the client sees for an error. Only errors made for clients (HttpError, request
 * validation, fastify's 4xx parsing errors) say what went wrong; everything else is a bare 500.
 */
export function toErrorResponse(error: unknown, domainErrors: DomainErrorStatuses = {}): ErrorResponse {
  if (error instanceof DomainError) return domainErrorResponse(error, domainErrors);
  if (error instanceof HttpError) {
    const body: ErrorBody = { error: error.message, code: error.code };
    if (error.details !== undefined) body.details = error.details;
    return { statusCode: error.statusCode, body, ...(error.headers ? { headers: error.headers } : {}) };
  }
  if (!(error instanceof Error)) return internal;
  const e = error as Partial<FastifyError> & Error;

  if (hasZodFastifySchemaValidationErrors(e) || Array.isArray(e.validation)) {
    return { statusCode: 400, body: validationBody(e) };
  }
  switch (e.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return { statusCode: 400, body: { error: 'Request body is not valid JSON', code: 'INVALID_JSON' } };
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { statusCode: 413, body: { error: 'Request body is too large', code: 'PAYLOAD_TOO_LARGE' } };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return { statusCode: 415, body: { error: 'Unsupported media type', code: 'UNSUPPORTED_MEDIA_TYPE' } };
  }
  // Other 4xx errors from fastify and its plugins (rate limit, bad content-length, bad URL) are about the request.
  const status = e.statusCode ?? 500;
  if (status >= 400 && status < 500) {
    return { statusCode: status, body: { error: e.message, code: codeForStatus[status] ?? 'BAD_REQUEST' } };
  }
  return internal;
}

/** A domain error whose code the service mapped; an unmapped code is a bug and answers 500. */
function domainErrorResponse(error: DomainError, statuses: DomainErrorStatuses): ErrorResponse {
  const statusCode = Object.hasOwn(statuses, error.code) ? statuses[error.code] : undefined;
  if (statusCode === undefined) return internal;
  const body: ErrorBody = { error: error.message, code: error.code };
  if (error.details !== undefined) body.details = error.details;
  const headers = error.retryAfterSeconds === undefined ? undefined : { 'retry-after': String(error.retryAfterSeconds) };
  return { statusCode, body, ...(headers ? { headers } : {}) };
}

function validationBody(e: Partial<FastifyError>): ErrorBody {
  const where = e.validationContext ?? 'request';
  const details: ValidationDetail[] = (e.validation ?? []).map((v) => ({
    path: [where, ...v.instancePath.split('/').filter(Boolean)].join('.'),
    message: v.message ?? 'is invalid',
  }));
  return { error: `Invalid ${where}`, code: 'VALIDATION_FAILED', details };
}

function logError(request: FastifyRequest, error: unknown, response: ErrorResponse) {
  if (response.statusCode >= 500) {
    request.log.error({ err: error }, 'request failed');
    return;
  }
  // A client mistake is not our failure: no stack, but enough to explain the answer.
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : undefined;
  request.log.info(
    { statusCode: response.statusCode, code: response.body.code, reason: response.body.error, cause },
    'request rejected',
  );
}

/** One error handler and one not-found handler for the whole app; both answer `{ error, code, details? }`. */
export const errorHandlerPlugin = fp<{ domainErrors?: DomainErrorStatuses }>(
  async (app: FastifyInstance, o) => {
    app.setErrorHandler((error, request, reply) => {
      const response = toErrorResponse(error, o.domainErrors);
      logError(request, error, response);
      if (response.statusCode === 401 && !response.headers?.['www-authenticate']) {
        reply.header('www-authenticate', 'Bearer realm="trendcast"');
      }
      for (const [name, value] of Object.entries(response.headers ?? {})) reply.header(name, value);
      return reply.status(response.statusCode).send(response.body);
    });
    app.setNotFoundHandler((request, reply) => {
      const path = request.url.split('?')[0]!.slice(0, 200);
      const body: ErrorBody = { error: `Route ${request.method} ${path} not found`, code: 'NOT_FOUND' };
      return reply.status(404).send(body);
    });
  },
  { name: 'trendcast-error-handler', fastify: '5.x' },
);
