import { vi } from 'vitest';

/** One request the page sent, as the API saw it. */
export interface SeenRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: unknown;
}

type Reply = { status?: number; body?: unknown; headers?: Record<string, string> } | ((request: SeenRequest) => { status?: number; body?: unknown; headers?: Record<string, string> });

/**
 * Stands in for the API at the fetch boundary: routes are "METHOD /api/path" (query ignored unless
 * the route names one); a route may answer several times in turn (the last answer repeats).
 * Unrouted requests answer 404 NOT_FOUND and are listed in `unexpected`.
 */
export function fakeApi(routes: Record<string, Reply | Reply[]>) {
  const seen: SeenRequest[] = [];
  const unexpected: string[] = [];
  const counters = new Map<string, number>();
  const fetchMock = vi.fn(async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const url = new URL(String(input), 'http://app.test');
    const method = (init.method ?? 'GET').toUpperCase();
    const headers = Object.fromEntries(Object.entries((init.headers ?? {}) as Record<string, string>).map(([k, v]) => [k.toLowerCase(), v]));
    const request: SeenRequest = { method, path: `${url.pathname}${url.search}`, headers, body: init.body ? JSON.parse(String(init.body)) : undefined };
    seen.push(request);
    const key = [`${method} ${url.pathname}${url.search}`, `${method} ${url.pathname}`].find((candidate) => candidate in routes);
    if (!key) {
      unexpected.push(`${method} ${request.path}`);
      return new Response(JSON.stringify({ error: 'Not found', code: 'NOT_FOUND' }), { status: 404, headers: { 'content-type': 'application/json' } });
    }
    const entry = routes[key]!;
    const n = counters.get(key) ?? 0;
    counters.set(key, n + 1);
    const chosen = Array.isArray(entry) ? entry[Math.min(n, entry.length - 1)]! : entry;
    const reply = typeof chosen === 'function' ? chosen(request) : chosen;
    const status = reply.status ?? 200;
    const body = status === 204 || reply.body === undefined ? null : JSON.stringify(reply.body);
    return new Response(body, { status, headers: { 'content-type': 'application/json', ...reply.headers } });
  });
  vi.stubGlobal('fetch', fetchMock);
  return {
    seen,
    unexpected,
    requests: (method: string, path: string) => seen.filter((r) => r.method === method && r.path.split('?')[0] === path),
  };
}

export const account = {
  id: '7f1c1c5e-3f0e-4c55-9a53-7d1e8a3f0001',
  email: 'ada@example.org',
  displayName: 'Ada',
  role: 'user',
  emailVerified: true,
  notificationPreferences: { searchFailed: true, draftsReady: true, postPublished: true, postFailed: true, generationFailed: true },
  createdAt: '2025-01-01T00:00:00.000Z',
};

export const browserSession = (accessToken = 'access-1', expiresIn = 900) => ({ accessToken, expiresIn, user: account });

export function apiError(status: number, code: string, error: string, details?: unknown) {
  return { status, body: { error, code, ...(details === undefined ? {} : { details }) } };
}
