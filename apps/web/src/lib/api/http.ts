import type { z } from 'zod';
import { ApiError, readableMessage } from './errors.js';

/** How the HTTP layer gets and renews access tokens; the session store provides it. */
export interface AuthProvider {
  /** A token valid for a while yet, renewed first when it is about to expire; undefined when signed out. */
  accessToken(): Promise<string | undefined>;
  /** After a 401: try once to get a new token (true when there is one). */
  renew(): Promise<boolean>;
}

let auth: AuthProvider | undefined;

export function setAuthProvider(provider: AuthProvider | undefined): void {
  auth = provider;
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  body?: unknown;
  /** Send the access token (default); public routes say false. */
  auth?: boolean;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

async function send(path: string, o: RequestOptions, token: string | undefined): Promise<Response> {
  const headers: Record<string, string> = { accept: 'application/json', ...o.headers };
  if (o.body !== undefined) headers['content-type'] = 'application/json';
  if (token) headers.authorization = `Bearer ${token}`;
  try {
    return await fetch(`/api${path}`, {
      method: o.method ?? 'GET',
      headers,
      body: o.body === undefined ? null : JSON.stringify(o.body),
      credentials: 'same-origin',
      ...(o.signal ? { signal: o.signal } : {}),
    });
  } catch (error) {
    if (o.signal?.aborted) throw error;
    throw new ApiError(0, 'NETWORK', 'Trendcast could not be reached. Check your connection and try again.');
  }
}

async function errorOf(response: Response): Promise<ApiError> {
  let body: { error?: unknown; code?: unknown; details?: unknown } = {};
  try {
    body = (await response.json()) as typeof body;
  } catch {
    // not JSON: the status alone speaks
  }
  const code = typeof body.code === 'string' ? body.code : `HTTP_${response.status}`;
  const header = Number(response.headers.get('retry-after'));
  const fromDetails = Number((body.details as { retryAfterSeconds?: unknown } | undefined)?.retryAfterSeconds);
  const retryAfter = Number.isFinite(fromDetails) && fromDetails > 0 ? fromDetails : Number.isFinite(header) && header > 0 ? header : undefined;
  const message = readableMessage(response.status, code, typeof body.error === 'string' ? body.error : undefined, body.details, retryAfter);
  return new ApiError(response.status, code, message, body.details, retryAfter);
}

/**
 * Calls `/api<path>` and checks the answer against `schema` (null for answers without a body).
 * An expired access token is renewed once and the call repeated.
 */
export async function apiRequest<T>(path: string, schema: z.ZodType<T>, o?: RequestOptions): Promise<T>;
export async function apiRequest(path: string, schema: null, o?: RequestOptions): Promise<void>;
export async function apiRequest<T>(path: string, schema: z.ZodType<T> | null, o: RequestOptions = {}): Promise<T | void> {
  const useAuth = o.auth ?? true;
  let token = useAuth ? await auth?.accessToken() : undefined;
  let response = await send(path, o, token);
  if (response.status === 401 && useAuth && token && auth) {
    await response.body?.cancel();
    if (await auth.renew()) {
      token = await auth.accessToken();
      response = await send(path, o, token);
    }
  }
  if (!response.ok) throw await errorOf(response);
  if (schema === null) {
    await response.body?.cancel();
    return;
  }
  let json: unknown;
  try {
    json = await response.json();
  } catch {
    throw new ApiError(response.status, 'UNEXPECTED_RESPONSE', 'Trendcast sent an answer this page cannot read. Reload the page and try again.');
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    throw new ApiError(response.status, 'UNEXPECTED_RESPONSE', 'Trendcast sent an answer this page cannot read. Reload the page and try again.', parsed.error.issues);
  }
  return parsed.data;
}

export function query(params: Record<string, string | number | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) if (value !== undefined && value !== null && value !== '') search.set(name, String(value));
  const text = search.toString();
  return text ? `?${text}` : '';
}
