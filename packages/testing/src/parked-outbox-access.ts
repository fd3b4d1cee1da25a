import { randomUUID } from 'node:crypto';
import type { TestTokenSigner } from './access-tokens.js';

/** What a service's fastify app offers a test: `inject`, as light-my-request answers it. */
interface InjectableApp {
  inject(request: { method: 'GET' | 'POST'; url: string; headers?: Record<string, string>; payload?: object }): Promise<{ statusCode: number; json(): unknown }>;
}

/**
 * How a service's admin-only parked-outbox routes answer an admin, a user, nobody, and a user trying
 * to replay: what every SQL service's test asserts (200 with the list, 403, 401, 403).
 */
export async function parkedOutboxAccess(app: InjectableApp, signer: TestTokenSigner) {
  const someone = randomUUID();
  const url = '/internal/outbox/parked';
  const admin = await app.inject({ method: 'GET', url, headers: await signer.headersFor(someone, 'admin') });
  const user = await app.inject({ method: 'GET', url, headers: await signer.headersFor(someone) });
  const anonymous = await app.inject({ method: 'GET', url });
  const replayAsUser = await app.inject({ method: 'POST', url: `${url}/replay`, headers: await signer.headersFor(someone), payload: {} });
  return {
    admin: { status: admin.statusCode, body: admin.json() },
    user: user.statusCode,
    anonymous: anonymous.statusCode,
    replayAsUser: replayAsUser.statusCode,
  };
}
