import { HttpError } from '@trendcast/service-kit';
import type { FastifyRequest } from 'fastify';
import type { BrowserSessionSettings } from './browser-session-settings.js';

/** The header the web app sends; a cross-site form or image cannot, and a cross-site fetch would need a CORS preflight we never grant. */
export const clientHeader = 'x-trendcast-client';
export const clientHeaderValue = 'web';

export const csrfRejected = (message: string) => new HttpError(403, 'CSRF_REJECTED', message);

/**
 * Browser-session requests must come from a page of ours: the custom header (which no other site
 * can make a browser send to us without a preflight) and an Origin we serve the web app from.
 * Browsers send Origin on every POST and DELETE, so a missing one is refused too.
 */
export function assertFromOurPage(request: FastifyRequest, settings: BrowserSessionSettings): void {
  if (request.headers[clientHeader] !== clientHeaderValue) {
    throw csrfRejected(`Browser sessions need the header ${clientHeader}: ${clientHeaderValue}`);
  }
  const origin = request.headers.origin;
  if (!origin || !settings.allowedOrigins.has(origin)) {
    throw csrfRejected('Browser sessions are only available to pages of this site (Origin not allowed)');
  }
}
