import { createServer } from 'node:net';
import { Ollama } from 'ollama';

/** A real npm `ollama` client whose every request can be cut short by `signal` (the client's own API cannot for non-streamed calls). */
export function clientFor(host: string, signal?: AbortSignal): Ollama {
  if (!signal) return new Ollama({ host });
  return new Ollama({
    host,
    fetch: (input, init) => fetch(input, { ...init, signal: init?.signal ? AbortSignal.any([init.signal, signal]) : signal }),
  });
}

/** A port nothing listens on: bound, then released. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return address.port;
}

/** The rejection of `work`, which must reject. */
export async function rejectionOf(work: Promise<unknown>): Promise<Error & { status_code?: number }> {
  try {
    await work;
  } catch (error) {
    return error as Error & { status_code?: number };
  }
  throw new Error('expected the call to fail, it succeeded');
}
