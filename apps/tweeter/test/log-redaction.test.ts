import { Writable } from 'node:stream';
import { startFakeMastodon, type FakeMastodon } from '@trendcast/fakes';
import { describeError } from '@trendcast/core';
import { createLogger } from '@trendcast/service-kit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ChannelError } from '../src/domain/channel-error.js';
import type { GuardedHttpClient } from '../src/integrations/http/guarded-http-client.js';
import { MastodonAdapter } from '../src/integrations/mastodon/mastodon-adapter.js';
import { tweeterRedactPaths } from '../src/security/redaction.js';
import { guardedClient } from './support/servers.js';

function capturingLogger() {
  let output = '';
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      output += chunk.toString('utf8');
      done();
    },
  });
  const logger = createLogger({ service: 'tweeter', destination, redact: tweeterRedactPaths });
  return { logger, output: () => output };
}

let fake: FakeMastodon;
let http: GuardedHttpClient;
let token: string;

beforeEach(async () => {
  fake = await startFakeMastodon({ accounts: ['ada'] });
  http = guardedClient({ allowPrivateAddresses: true, timeoutMs: 500 });
  token = fake.issueToken('ada');
});

afterEach(async () => {
  await http.close();
  await fake.close();
});

describe('credentials in errors and logs', () => {
  it('when every kind of failure is logged the way a worker would, then the access token appears nowhere in the output', async () => {
    const adapter = new MastodonAdapter({ http, credentials: { instanceUrl: fake.origin, accessToken: token } });
    // Mastodon never echoes tokens, but a proxy or a fork might: the adapter must cut them out.
    fake.failNext([
      { kind: 'validation', error: `Validation failed: token ${token} is odd` },
      { kind: 'rate-limited', resetInSeconds: 30 },
      { kind: 'server-error', status: 503 },
      { kind: 'no-answer' },
      { kind: 'token-revoked' },
    ]);
    const errors: ChannelError[] = [];
    for (let i = 0; i < 5; i += 1) {
      errors.push((await adapter.publish({ text: `post ${i}` }, `key-${i}`).catch((e: unknown) => e)) as ChannelError);
    }
    expect(errors.map((e) => e.kind)).toEqual(['rejected', 'rate_limited', 'temporary', 'unknown_outcome', 'auth_revoked']);
    expect(errors[0]?.reason).toContain('[redacted]');

    const { logger, output } = capturingLogger();
    for (const error of errors) {
      expect(error.message).not.toContain(token);
      expect(JSON.stringify(error)).not.toContain(token);
      logger.warn({ err: error, channelId: 'c1' }, 'publish failed');
      logger.warn({ error: describeError(error), reason: error.reason, network: error.networkMessage }, 'publish failed');
    }
    expect(output()).toContain('publish failed');
    expect(output()).not.toContain(token);
  });

  it('when objects holding credentials are logged, then every credential field is redacted', () => {
    const { logger, output } = capturingLogger();
    const secrets = {
      accessToken: 'secret-access-token-1',
      clientSecret: 'secret-client-secret-2',
      codeVerifier: 'secret-code-verifier-3',
      authorizationCode: 'secret-auth-code-4',
      sealed: 'secret-sealed-5',
    };
    logger.info({ channel: { id: 'c1', kind: 'mastodon', credentials: { instanceUrl: 'https://social.example', accessToken: secrets.accessToken } } }, 'channel loaded');
    logger.info({ app: { instanceUrl: 'https://social.example', clientId: 'public-id', client_secret: secrets.clientSecret } }, 'app registered');
    logger.info({ flow: { codeVerifier: secrets.codeVerifier, authorizationCode: secrets.authorizationCode } }, 'callback');
    logger.info({ row: { sealedCredentials: secrets.sealed } }, 'row');
    logger.info({ request: { headers: { authorization: `Bearer ${secrets.accessToken}` } } }, 'outbound');
    logger.info({ response: { access_token: secrets.accessToken, token_type: 'Bearer' } }, 'token');

    const text = output();
    for (const value of Object.values(secrets)) expect(text).not.toContain(value);
    expect(text).toContain('public-id');
    expect(text).toContain('[Redacted]');
  });
});
