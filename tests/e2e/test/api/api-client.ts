import { expect } from 'vitest';

/** JSON over HTTP through the gateway, as an API client speaks it: a bearer token once signed in. */
export class ApiClient {
  token: string | undefined;

  constructor(private readonly baseUrl: string) {}

  signIn(accessToken: string): void {
    this.token = accessToken;
  }

  raw(method: string, path: string, body?: unknown): Promise<Response> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    return fetch(`${this.baseUrl}${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  }

  /** Sends and expects `status`; answers the parsed JSON body (undefined for an empty one). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the journey reads the API's own JSON shapes
  async send(method: string, path: string, body: unknown, status: number): Promise<any> {
    const response = await this.raw(method, path, body);
    const text = await response.text();
    expect(response.status, `${method} ${path} answered ${response.status}: ${text.slice(0, 500)}`).toBe(status);
    return text ? JSON.parse(text) : undefined;
  }
}

/** Retries `check` until it passes (the system is eventually consistent across its services). */
export async function eventually<T>(check: () => Promise<T>, timeoutMs: number, intervalMs = 250): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  }
}
