import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { Agent, buildConnector, fetch, type Response } from 'undici';
import { checkAddress, type AddressPolicy } from './address-policy.js';
import type { HttpClient, HttpRequestInit, HttpResponse } from './http-client.js';
import { OutboundRequestError } from './outbound-error.js';

export interface ResolvedAddress {
  address: string;
  family: number;
}

/** Name resolution; the system resolver (getaddrinfo, /etc/hosts included) unless tests inject one. */
export type Resolver = (hostname: string) => Promise<ResolvedAddress[]>;

export const systemResolver: Resolver = (hostname) => lookup(hostname, { all: true, verbatim: true });

export interface GuardedHttpOptions extends AddressPolicy {
  /** Permit plain http:// URLs (local runs against a fake instance); https only otherwise. */
  allowHttp: boolean;
  /** The whole exchange, redirects and body included. */
  timeoutMs: number;
  connectTimeoutMs: number;
  maxResponseBytes: number;
  maxRedirects: number;
  userAgent: string;
  resolver?: Resolver;
  /** Certificate authorities to trust instead of Node's bundle (tests; operators use NODE_EXTRA_CA_CERTS). */
  ca?: string | Buffer;
}

const redirectStatuses = new Set([301, 302, 303, 307, 308]);

/**
 * An HTTP client for addresses users give us (Mastodon instances), built to the OWASP SSRF bar:
 * - only https (http when configured), no credentials in URLs;
 * - every address a name resolves to must be public, and the connection goes to the address that
 *   was checked (resolution and check happen in the connector, once per connection), so a DNS
 *   answer that changes between check and connect (rebinding) cannot reach an internal host;
 * - redirects are followed by hand, each hop checked the same way, Authorization dropped when the
 *   origin changes;
 * - answers are bounded in time and size.
 */
export class GuardedHttpClient implements HttpClient {
  private readonly agent: Agent;
  private readonly resolver: Resolver;

  constructor(private readonly options: GuardedHttpOptions) {
    this.resolver = options.resolver ?? systemResolver;
    const connect = buildConnector({ timeout: options.connectTimeoutMs, ...(options.ca ? { ca: options.ca } : {}) });
    this.agent = new Agent({
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
      connections: 16,
      connect: (connectOptions, callback) => {
        const hostname = connectOptions.hostname.replace(/^\[|\]$/g, '');
        this.resolveChecked(hostname).then(
          (address) =>
            connect({ ...connectOptions, hostname: address, servername: connectOptions.servername ?? (isIP(hostname) ? undefined : hostname) }, (error, socket) =>
              // Nothing was sent before the connection (TLS included) was up.
              error ? callback(connectFailure(error, hostname), null) : callback(null, socket as NonNullable<typeof socket>),
            ),
          (error: Error) => callback(error, null),
        );
      },
    });
  }

  async request(url: string | URL, init: HttpRequestInit = {}): Promise<HttpResponse> {
    const method = init.method ?? 'GET';
    const signal = AbortSignal.timeout(init.timeoutMs ?? this.options.timeoutMs);
    let current = this.checkUrl(url);
    let headers: Record<string, string> = { 'user-agent': this.options.userAgent, ...init.headers };
    const follow = init.followRedirects === true && method === 'GET';

    for (let hop = 0; ; hop += 1) {
      const response = await this.send(current, { method, headers, body: init.body, signal });
      if (!follow || !redirectStatuses.has(response.status)) {
        return { status: response.status, headers: response.headers, url: current.toString(), body: await this.readBody(response, current, signal) };
      }
      await response.body?.cancel().catch(() => {});
      if (hop >= this.options.maxRedirects) {
        throw new OutboundRequestError('TOO_MANY_REDIRECTS', `${current.host} redirected more than ${this.options.maxRedirects} times`, true);
      }
      const next = this.checkUrl(new URL(response.headers.get('location') ?? '', current));
      if (next.origin !== current.origin) headers = withoutAuthorization(headers);
      current = next;
    }
  }

  async close(): Promise<void> {
    await this.agent.close();
  }

  /** Refuses schemes, credentials in the URL and IP literals before any connection is tried. */
  private checkUrl(input: string | URL): URL {
    let url: URL;
    try {
      url = new URL(input);
    } catch {
      throw new OutboundRequestError('SCHEME_REFUSED', 'not a valid URL', false);
    }
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && this.options.allowHttp)) {
      throw new OutboundRequestError('SCHEME_REFUSED', `${url.protocol}// addresses are not allowed (https only)`, false);
    }
    if (url.username || url.password) throw new OutboundRequestError('SCHEME_REFUSED', 'addresses with credentials in them are not allowed', false);
    const literal = url.hostname.replace(/^\[|\]$/g, '');
    if (isIP(literal)) this.assertAllowed(literal, url.hostname);
    return url;
  }

  private async resolveChecked(hostname: string): Promise<string> {
    if (isIP(hostname)) return this.assertAllowed(hostname, hostname);
    let addresses: ResolvedAddress[];
    try {
      addresses = await this.resolver(hostname);
    } catch (error) {
      throw new OutboundRequestError('DNS_FAILED', `${hostname} could not be resolved`, false, { cause: error });
    }
    if (addresses.length === 0) throw new OutboundRequestError('DNS_FAILED', `${hostname} has no address`, false);
    // Every address must pass: a name that also points inside is refused outright.
    const checked = addresses.map((entry) => this.assertAllowed(entry.address, hostname));
    return checked[0] as string;
  }

  private assertAllowed(address: string, hostname: string): string {
    const verdict = checkAddress(address, this.options);
    if (!verdict.allowed) {
      const what = hostname === address ? address : `${hostname} (${verdict.address})`;
      throw new OutboundRequestError('DESTINATION_REFUSED', `${what} is a ${describeRange(verdict.range)} address and may not be reached`, false);
    }
    return verdict.address;
  }

  private async send(url: URL, init: { method: string; headers: Record<string, string>; body: string | undefined; signal: AbortSignal }): Promise<Response> {
    try {
      return await fetch(url, { method: init.method, headers: init.headers, body: init.body ?? null, redirect: 'manual', signal: init.signal, dispatcher: this.agent });
    } catch (error) {
      throw toOutboundError(error, url);
    }
  }

  private async readBody(response: Response, url: URL, signal: AbortSignal): Promise<string> {
    const declared = Number(response.headers.get('content-length') ?? NaN);
    if (declared > this.options.maxResponseBytes) {
      await response.body?.cancel().catch(() => {});
      throw new OutboundRequestError('RESPONSE_TOO_LARGE', `${url.host} answered with more than ${this.options.maxResponseBytes} bytes`, true);
    }
    if (!response.body) return '';
    const chunks: Uint8Array[] = [];
    let size = 0;
    try {
      for await (const chunk of response.body) {
        size += chunk.byteLength;
        if (size > this.options.maxResponseBytes) {
          await response.body.cancel().catch(() => {});
          throw new OutboundRequestError('RESPONSE_TOO_LARGE', `${url.host} answered with more than ${this.options.maxResponseBytes} bytes`, true);
        }
        chunks.push(chunk);
      }
    } catch (error) {
      if (error instanceof OutboundRequestError) throw error;
      throw toOutboundError(signal.aborted ? signal.reason : error, url);
    }
    return Buffer.concat(chunks).toString('utf8');
  }
}

function connectFailure(error: Error, hostname: string): OutboundRequestError {
  const code = String((error as { code?: unknown }).code ?? '');
  const tls = /CERT|TLS|SSL|SELF_SIGNED|UNABLE_TO_VERIFY/.test(code);
  const message = tls ? `the TLS certificate of ${hostname} could not be verified` : `could not connect to ${hostname}`;
  return new OutboundRequestError('CONNECT_FAILED', message, false, { cause: error });
}

function withoutAuthorization(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => name.toLowerCase() !== 'authorization'));
}

/** undici reports failures as `TypeError: fetch failed` with the real error as its cause. */
function toOutboundError(error: unknown, url: URL): OutboundRequestError {
  const chain: unknown[] = [];
  for (let e: unknown = error; e && chain.length < 5; e = (e as { cause?: unknown }).cause) chain.push(e);
  const ours = chain.find((e): e is OutboundRequestError => e instanceof OutboundRequestError);
  if (ours) return ours;
  const names = chain.map((e) => `${(e as { name?: string }).name ?? ''}:${(e as { code?: string }).code ?? ''}`).join(' ');
  if (/TimeoutError|UND_ERR_HEADERS_TIMEOUT|UND_ERR_BODY_TIMEOUT|AbortError/.test(names)) {
    return new OutboundRequestError('TIMEOUT', `no answer from ${url.host} in time`, true, { cause: error });
  }
  if (/ECONNREFUSED|UND_ERR_CONNECT_TIMEOUT|ConnectTimeoutError|EHOSTUNREACH|ENETUNREACH/.test(names)) {
    return new OutboundRequestError('CONNECT_FAILED', `could not connect to ${url.host}`, false, { cause: error });
  }
  if (/ENOTFOUND|EAI_AGAIN/.test(names)) return new OutboundRequestError('DNS_FAILED', `${url.hostname} could not be resolved`, false, { cause: error });
  return new OutboundRequestError('CONNECTION_LOST', `the connection to ${url.host} was lost before an answer`, true, { cause: error });
}

function describeRange(range: string): string {
  return (
    {
      loopback: 'loopback',
      private: 'private-network',
      uniqueLocal: 'private-network (unique local)',
      linkLocal: 'link-local',
      carrierGradeNat: 'carrier-grade NAT',
      multicast: 'multicast',
      broadcast: 'broadcast',
      unspecified: 'unspecified',
      reserved: 'reserved',
      nonGlobalIpv6: 'non-global IPv6',
    }[range] ?? `non-public (${range})`
  );
}
