import { withDeadline } from '@trendcast/core';
import { Ollama } from 'ollama';
import { ModelFailure } from '../../domain/model-failure.js';

export interface ConnectionOptions {
  host: string;
  timeoutMs: number;
  /** The transport; tests and proxies may pass their own. */
  fetch?: typeof fetch;
}

/**
 * Calls the Ollama server through the npm `ollama` client, each call bounded: the request timeout
 * and the caller's signal both reach the HTTP request itself (the client cannot cancel a request
 * that is not streamed, so every call gets a client whose fetch carries the signal), so a timed-out
 * request is closed, not left running. Failures come out as ModelFailure.
 */
export class OllamaConnection {
  readonly host: string;

  constructor(private readonly options: ConnectionOptions) {
    this.host = options.host.replace(/\/+$/u, '');
  }

  async call<T>(what: string, work: (client: Ollama) => Promise<T>, signal?: AbortSignal): Promise<T> {
    if (signal?.aborted) throw new ModelFailure('cancelled', `${what} was cancelled before it started`);
    const timeout = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      timeout.abort(new Error(`${what} timed out`));
    }, this.options.timeoutMs);
    const combined = signal ? AbortSignal.any([signal, timeout.signal]) : timeout.signal;
    const transport = this.options.fetch ?? fetch;
    const client = new Ollama({
      host: this.host,
      fetch: (input, init) => transport(input, { ...init, signal: init?.signal ? AbortSignal.any([init.signal, combined]) : combined }),
    });
    try {
      // The abort ends the request; the deadline is a second guard should a transport ignore it.
      return await withDeadline(work(client), this.options.timeoutMs + 1_000, what);
    } catch (error) {
      if (error instanceof ModelFailure) throw error;
      if (timedOut) throw new ModelFailure('timeout', `${what}: no complete answer from Ollama at ${this.host} within ${this.options.timeoutMs} ms`, { cause: error });
      if (signal?.aborted) throw new ModelFailure('cancelled', `${what} was cancelled`, { cause: error });
      throw classify(what, this.host, error);
    } finally {
      clearTimeout(timer);
    }
  }
}

/** What an error from the ollama client means for the caller. */
export function classify(what: string, host: string, error: unknown): ModelFailure {
  const message = error instanceof Error ? error.message : String(error);
  const status = responseStatus(error);
  if (status !== undefined) {
    if (status === 404) return new ModelFailure('unknown-model', `${what}: ${message}`, { cause: error });
    if (status === 400 && /does not support/iu.test(message)) return new ModelFailure('unsupported', `${what}: ${message}`, { cause: error });
    if (status === 429 || status >= 500) return new ModelFailure('server', `${what}: Ollama answered ${status}: ${message}`, { cause: error });
    return new ModelFailure('refused', `${what}: Ollama refused the request (${status}): ${message}`, { cause: error });
  }
  if (error instanceof TypeError && message === 'fetch failed') {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const why = cause?.code ?? cause?.message ?? 'connection failed';
    return new ModelFailure('unreachable', `${what}: Ollama at ${host} is unreachable (${why})`, { cause: error });
  }
  // Errors after the answer began: an {"error"} line mid-stream, a stream cut before `done`, a reset socket.
  return new ModelFailure('server', `${what}: the answer broke off: ${message}`, { cause: error });
}

function responseStatus(error: unknown): number | undefined {
  if (error instanceof Error && error.name === 'ResponseError') {
    const status = (error as { status_code?: unknown }).status_code;
    if (typeof status === 'number') return status;
  }
  return undefined;
}
