import type { IncomingMessage, ServerResponse } from 'node:http';

/** Request bodies larger than this are refused with 413, as a fronting proxy would. */
const maxBodyBytes = 1024 * 1024;

export type Params = Record<string, string | string[]>;

export class BodyTooLargeError extends Error {}

/**
 * Reads a request body the way Rails does for Mastodon's API: JSON, or URL-encoded form data
 * (`redirect_uris[]=a&redirect_uris[]=b` gives an array). Anything else yields no parameters.
 */
export async function readParams(request: IncomingMessage): Promise<{ params: Params; raw: string }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBodyBytes) throw new BodyTooLargeError();
    chunks.push(chunk);
  }
  const raw = Buffer.concat(chunks).toString('utf8');
  const type = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (raw === '') return { params: {}, raw };
  if (type === 'application/json') return { params: fromJson(raw), raw };
  if (type === 'application/x-www-form-urlencoded') return { params: fromForm(new URLSearchParams(raw)), raw };
  return { params: {}, raw };
}

export function fromForm(form: URLSearchParams): Params {
  const params: Params = {};
  for (const [key, value] of form) {
    if (key.endsWith('[]')) {
      const name = key.slice(0, -2);
      const existing = params[name];
      params[name] = Array.isArray(existing) ? [...existing, value] : [value];
    } else {
      params[key] = value;
    }
  }
  return params;
}

function fromJson(raw: string): Params {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new SyntaxError('invalid JSON');
  }
  const params: Params = {};
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return params;
  for (const [key, value] of Object.entries(parsed as Record<string, unknown>)) {
    if (Array.isArray(value)) params[key] = value.map(String);
    else if (value !== null && value !== undefined && typeof value !== 'object') params[key] = String(value);
  }
  return params;
}

export function single(params: Params, name: string): string | undefined {
  const value = params[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Headers Mastodon's API sends on every response. */
const apiHeaders = {
  'Cache-Control': 'no-cache, no-store, max-age=0, must-revalidate',
  'X-Content-Type-Options': 'nosniff',
  Vary: 'Accept, Origin',
};

export function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    ...apiHeaders,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(text)),
    ...headers,
  });
  response.end(text);
}

export function sendHtml(response: ServerResponse, status: number, html: string, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': String(Buffer.byteLength(html)), ...headers });
  response.end(html);
}

export function redirect(response: ServerResponse, location: string): void {
  response.writeHead(302, { Location: location, 'Content-Type': 'text/html; charset=utf-8' });
  response.end(`<html><body>You are being <a href="${escapeHtml(location)}">redirected</a>.</body></html>`);
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}
