import { randomBytes } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { comparedGeoFor, fixture, multilineFor, recordedExplore, relatedSearchesFor } from './recordings.js';

/** Ways Google answers a scraper badly; each is served in place of one normal answer. */
export type Fault =
  | 'rate-limit' // 429 Too Many Requests, Google's HTML page, a fresh NID cookie
  | 'html-404' // the recorded 404 HTML error page
  | 'not-json' // 200 with a body that is not JSON
  | 'empty' // 200 with no body at all
  | 'truncated' // 200, the real body cut in half, connection closed
  | 'reset' // the connection dropped before any answer
  | 'no-data'; // a well-formed answer without data (what Google sends for an unknown keyword)

/** Which requests a fault or a delay applies to. */
export type Target = 'explore' | 'widgetdata' | 'any';

export interface SeenRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  cookie: string | undefined;
  status: number;
  fault?: Fault;
}

export interface FakeGoogleTrendsOptions {
  /**
   * Answer 429 + Set-Cookie NID to any request without a NID cookie this server issued, as Google
   * does to a new client (google-trends-api retries once with the cookie, then keeps it).
   */
  requireCookie?: boolean;
  port?: number;
}

interface WidgetContext {
  keywords: string[];
  spanDays: number;
}

/**
 * A local stand-in for trends.google.com speaking its wire protocol over plain HTTP: the explore
 * call hands out widget tokens, widget data is only served for a token it issued, bodies carry the
 * anti-XSSI prefix, errors come with Google's status codes, headers, HTML pages and cookies.
 * Bodies are the recorded ones from test/fixtures/gtrends.
 */
export class FakeGoogleTrends {
  readonly requests: SeenRequest[] = [];
  private readonly server: http.Server;
  private readonly sockets = new Set<Socket>();
  private readonly faults: Array<{ fault: Fault; target: Target }> = [];
  private persistentFault: { fault: Fault; target: Target } | null = null;
  private readonly issuedCookies = new Set<string>();
  private readonly tokens = new Map<string, WidgetContext>();
  private delay: { ms: number; target: Target } = { ms: 0, target: 'any' };
  private trendingFeeds = new Map<string, string>();

  constructor(private readonly options: FakeGoogleTrendsOptions = {}) {
    this.server = http.createServer((request, response) => {
      void this.handle(request, response).catch((error: unknown) => {
        response.destroy(error instanceof Error ? error : new Error(String(error)));
      });
    });
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(this.options.port ?? 0, '127.0.0.1', resolve));
    return this;
  }

  get port(): number {
    const address = this.server.address();
    if (!address || typeof address === 'string') throw new Error('fake Google Trends is not listening');
    return address.port;
  }

  /** The origin to give the service instead of https://trends.google.com. */
  get origin(): URL {
    return new URL(`http://127.0.0.1:${this.port}`);
  }

  /** The next matching requests get these faults, one each, in order. */
  failNext(faults: Fault | Fault[], target: Target = 'any'): this {
    for (const fault of [faults].flat()) this.faults.push({ fault, target });
    return this;
  }

  /** Every matching request gets this fault until `failAlways(null)`. */
  failAlways(fault: Fault | null, target: Target = 'any'): this {
    this.persistentFault = fault ? { fault, target } : null;
    return this;
  }

  /** Holds matching answers back for `ms` (0 to stop). */
  delayAnswers(ms: number, target: Target = 'any'): this {
    this.delay = { ms, target };
    return this;
  }

  /** Serves this RSS document for /trending/rss?geo=<geo> instead of the fixture. */
  setTrendingFeed(geo: string, xml: string): this {
    this.trendingFeeds.set(geo, xml);
    return this;
  }

  requestsTo(path: string): SeenRequest[] {
    return this.requests.filter((request) => request.path.startsWith(path));
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    await drain(request);
    const url = new URL(request.url ?? '/', 'http://trends.google.com');
    const seen: SeenRequest = {
      method: request.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      cookie: request.headers.cookie,
      status: 0,
    };
    this.requests.push(seen);
    const target = targetOf(url.pathname);

    if (this.delay.ms > 0 && matches(this.delay.target, target)) await sleep(this.delay.ms);
    if (response.destroyed) return;

    if (target !== 'other' && this.options.requireCookie && !this.hasIssuedCookie(request.headers.cookie)) {
      seen.fault = 'rate-limit';
      return this.answerFault('rate-limit', response, seen, '');
    }
    const fault = this.takeFault(target);
    if (fault) {
      seen.fault = fault;
      return this.answerFault(fault, response, seen, target === 'explore' ? ")]}'\n" : ")]}',\n");
    }

    if (url.pathname === '/trends/api/explore') return this.explore(url, response, seen);
    if (url.pathname.startsWith('/trends/api/widgetdata/')) return this.widgetData(url, response, seen);
    if (url.pathname === '/trending/rss') return this.trendingRss(url, response, seen);
    // Everything else, /trends/explore/ included, is Google's 404 page (and a cookie, as recorded).
    return this.html(response, seen, 404, fixture('error_404_explore_page.html'), true);
  }

  private explore(url: URL, response: ServerResponse, seen: SeenRequest): void {
    const req = parseJson(url.searchParams.get('req')) as { comparisonItem?: Array<{ keyword?: string; time?: string }> } | null;
    const items = req?.comparisonItem ?? [];
    const keywords = items.map((item) => String(item.keyword ?? ''));
    if (keywords.length === 0 || keywords.some((keyword) => keyword === '')) {
      return this.html(response, seen, 400, fixture('error_404_explore_page.html').replaceAll('404', '400'));
    }
    const spanDays = spanOf(items[0]?.time);
    const body = recordedExplore(keywords.length, spanDays);
    // Widget data is only served for a token handed out here; it remembers what was asked.
    for (const token of body.matchAll(/"token":"([^"]+)"/g)) {
      this.tokens.set(token[1] ?? '', { keywords, spanDays });
    }
    this.json(response, seen, body, 'application/json; charset=utf-8');
  }

  private widgetData(url: URL, response: ServerResponse, seen: SeenRequest): void {
    const context = this.tokens.get(url.searchParams.get('token') ?? '');
    const req = parseJson(url.searchParams.get('req')) as { keywordType?: string } | null;
    if (!context || !req) {
      return this.html(response, seen, 401, fixture('error_404_explore_page.html').replaceAll('404', '401'));
    }
    const widget = url.pathname.slice('/trends/api/widgetdata/'.length);
    let body: string;
    if (widget === 'multiline') body = multilineFor(context.keywords, context.spanDays);
    else if (widget === 'comparedgeo') body = comparedGeoFor(context.keywords);
    else if (widget === 'relatedsearches') body = relatedSearchesFor(context.keywords[0] ?? '', req.keywordType ?? 'QUERY');
    else return this.html(response, seen, 404, fixture('error_404_explore_page.html'));
    this.json(response, seen, body, 'application/json; charset=UTF-8');
  }

  private trendingRss(url: URL, response: ServerResponse, seen: SeenRequest): void {
    const geo = url.searchParams.get('geo') ?? '';
    if (!/^[A-Z]{2}$/.test(geo)) return this.html(response, seen, 404, fixture('error_404_explore_page.html'));
    const feed = this.trendingFeeds.get(geo) ?? fixture('trending_rss_US.xml').replaceAll('geo=US', `geo=${geo}`);
    seen.status = 200;
    response.writeHead(200, { ...googleHeaders, 'Content-Type': 'application/rss+xml; charset=utf-8' });
    response.end(feed);
  }

  private answerFault(fault: Fault, response: ServerResponse, seen: SeenRequest, guard: string): void {
    switch (fault) {
      case 'rate-limit': {
        seen.status = 429;
        response.writeHead(429, { ...googleHeaders, 'Content-Type': 'text/html; charset=UTF-8', 'Set-Cookie': this.issueCookie() });
        response.end(fixture('error_429_too_many_requests.html'));
        return;
      }
      case 'html-404':
        return this.html(response, seen, 404, fixture('error_404_explore_page.html'), true);
      case 'not-json':
        seen.status = 200;
        response.writeHead(200, { ...googleHeaders, 'Content-Type': 'text/plain; charset=UTF-8' });
        response.end('Service temporarily unavailable; please retry.');
        return;
      case 'empty':
        seen.status = 200;
        response.writeHead(200, { ...googleHeaders, 'Content-Type': 'application/json; charset=UTF-8', 'Content-Length': '0' });
        response.end();
        return;
      case 'truncated': {
        // The first half of a real answer, then the connection closes (no Content-Length was promised).
        const whole = guard.startsWith(")]}',") ? fixture('widgetdata_multiline_partial.body') : fixture('explore_pizza_bagel_2021.body');
        seen.status = 200;
        response.writeHead(200, { ...googleHeaders, 'Content-Type': 'application/json; charset=UTF-8', Connection: 'close' });
        response.end(whole.slice(0, Math.floor(whole.length / 2)));
        return;
      }
      case 'reset':
        response.socket?.destroy();
        return;
      case 'no-data':
        return this.json(response, seen, `${guard}${JSON.stringify({ default: { timelineData: [], averages: [] } })}`, 'application/json; charset=UTF-8');
    }
  }

  private json(response: ServerResponse, seen: SeenRequest, body: string, contentType: string): void {
    seen.status = 200;
    response.writeHead(200, { ...googleHeaders, 'Content-Type': contentType, 'X-Frame-Options': 'SAMEORIGIN' });
    response.end(body);
  }

  private html(response: ServerResponse, seen: SeenRequest, status: number, body: string, withCookie = false): void {
    seen.status = status;
    const headers: Record<string, string> = { ...googleHeaders, 'Content-Type': 'text/html; charset=utf-8' };
    if (withCookie) headers['Set-Cookie'] = this.issueCookie();
    response.writeHead(status, headers);
    response.end(body);
  }

  private takeFault(target: Target | 'other'): Fault | undefined {
    if (target === 'other') return undefined;
    const index = this.faults.findIndex((entry) => matches(entry.target, target));
    if (index >= 0) return this.faults.splice(index, 1)[0]?.fault;
    if (this.persistentFault && matches(this.persistentFault.target, target)) return this.persistentFault.fault;
    return undefined;
  }

  private issueCookie(): string {
    const value = `511=${randomBytes(48).toString('base64url')}`;
    this.issuedCookies.add(value);
    const expires = new Date(Date.now() + 183 * 24 * 3600 * 1000).toUTCString();
    return `NID=${value}; expires=${expires}; path=/; domain=.google.com; HttpOnly`;
  }

  private hasIssuedCookie(header: string | undefined): boolean {
    const nid = header?.split(';').map((part) => part.trim()).find((part) => part.startsWith('NID='));
    return nid !== undefined && this.issuedCookies.has(nid.slice('NID='.length));
  }
}

/** Headers Google sends with every Trends answer (from the recorded cassettes). */
const googleHeaders = {
  'Cache-Control': 'no-cache, no-store, max-age=0, must-revalidate',
  Pragma: 'no-cache',
  Expires: 'Mon, 01 Jan 1990 00:00:00 GMT',
  Server: 'GSE',
  'X-Content-Type-Options': 'nosniff',
  'X-XSS-Protection': '1; mode=block',
};

function targetOf(path: string): Target | 'other' {
  if (path === '/trends/api/explore') return 'explore';
  if (path.startsWith('/trends/api/widgetdata/')) return 'widgetdata';
  return 'other';
}

function matches(wanted: Target, actual: Target | 'other'): boolean {
  return actual !== 'other' && (wanted === 'any' || wanted === actual);
}

/** Days between the two dates of a Google time range ("2021-01-01 2021-12-31"; the library may drop zero padding). */
function spanOf(time: string | undefined): number {
  const [start, end] = (time ?? '').split(' ').map((part) => Date.parse(part.replace(/T.*/, '').replace(/-(\d)(?!\d)/g, '-0$1')));
  if (start === undefined || end === undefined || Number.isNaN(start) || Number.isNaN(end)) return 365;
  return Math.abs(end - start) / 86_400_000;
}

function parseJson(text: string | null): unknown {
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

async function drain(request: IncomingMessage): Promise<void> {
  for await (const _chunk of request) {
    // bodies are ignored: Google's API takes everything in the query string
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
