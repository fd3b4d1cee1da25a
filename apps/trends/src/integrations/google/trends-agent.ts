import type { ClientRequest, IncomingMessage } from 'node:http';
import https from 'node:https';
import net from 'node:net';
import type { Duplex } from 'node:stream';

export interface ObservedResponse {
  path: string;
  status: number;
  retryAfterMs?: number;
  /** The body as received so far (kept up to 2 MiB). */
  body(): string;
}

export interface TrendsAgentOptions {
  /**
   * Send the requests meant for trends.google.com to this plain-HTTP origin instead (a local
   * stand-in that speaks Google's protocol). Unset: real HTTPS to Google.
   */
  redirectTo?: URL;
  /** A socket idle this long is destroyed, which makes google-trends-api reject instead of waiting forever. */
  socketTimeoutMs: number;
}

const maxKeptBody = 2 * 1024 * 1024;

/**
 * The https.Agent handed to google-trends-api (its documented `agent` option, meant for proxies).
 * The library reports neither status codes nor headers, so the agent watches every response it
 * carries: a 429 is then known as a 429, not guessed from a body.
 */
export class TrendsAgent extends https.Agent {
  readonly responses: ObservedResponse[] = [];

  constructor(private readonly agentOptions: TrendsAgentOptions) {
    super({ keepAlive: false });
  }

  get lastResponse(): ObservedResponse | undefined {
    return this.responses.at(-1);
  }

  override createConnection(options: net.NetConnectOpts, callback?: (err: Error | null, socket: Duplex) => void): Duplex {
    const socket = this.agentOptions.redirectTo
      ? net.connect(Number(this.agentOptions.redirectTo.port || 80), this.agentOptions.redirectTo.hostname)
      : // eslint-disable-next-line @typescript-eslint/no-explicit-any -- https.Agent's own TLS connect, untyped in @types/node
        ((https.Agent.prototype as any).createConnection.call(this, options, callback) as net.Socket);
    socket.setTimeout(this.agentOptions.socketTimeoutMs, () => {
      const error = Object.assign(new Error(`no answer from Google Trends within ${this.agentOptions.socketTimeoutMs} ms`), {
        code: 'ETIMEDOUT',
      });
      socket.destroy(error);
    });
    return socket;
  }

  // addRequest is how every ClientRequest reaches its agent, so it is where a response can be watched.
  addRequest(request: ClientRequest, options: unknown): void {
    request.once('response', (response: IncomingMessage) => this.watch(request.path, response));
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- not in @types/node, present since Node 0.x
    (https.Agent.prototype as any).addRequest.call(this, request, options);
  }

  private watch(path: string, response: IncomingMessage): void {
    const chunks: Buffer[] = [];
    let kept = 0;
    const observed: ObservedResponse = {
      path,
      status: response.statusCode ?? 0,
      body: () => Buffer.concat(chunks).toString('utf8'),
    };
    const retryAfter = parseRetryAfter(response.headers['retry-after']);
    if (retryAfter !== undefined) observed.retryAfterMs = retryAfter;
    this.responses.push(observed);
    response.on('data', (chunk: Buffer | string) => {
      if (kept >= maxKeptBody) return;
      const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      chunks.push(buffer);
      kept += buffer.length;
    });
  }
}

/** Retry-After is either seconds or an HTTP date. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
