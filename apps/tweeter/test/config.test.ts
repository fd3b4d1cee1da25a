import { randomBytes } from 'node:crypto';
import { ConfigError } from '@trendcast/service-kit';
import { describe, expect, it } from 'vitest';
import { loadTweeterConfig, mastodonCallbackUrl, outboundHttpOptions } from '../src/config.js';

const oneKey = JSON.stringify([{ id: 'k1', key: randomBytes(32).toString('base64') }]);

describe('tweeter configuration', () => {
  it('when nothing is set in development, then local runs work: http and private instances allowed, the development key in use', () => {
    const config = loadTweeterConfig({});
    expect(config.PORT).toBe(3004);
    expect(config.OUTBOUND_ALLOW_HTTP).toBe(true);
    expect(config.OUTBOUND_ALLOW_PRIVATE_ADDRESSES).toBe(true);
    expect(config.credentialKeyring.usingDevelopmentKey).toBe(true);
    expect(mastodonCallbackUrl(config)).toBe('http://localhost:8080/api/tweeter/channels/mastodon/callback');
    expect(outboundHttpOptions(config)).toMatchObject({ timeoutMs: 15_000, maxResponseBytes: 1_048_576, maxRedirects: 3, allowedRanges: [] });
  });

  it('when running in production, then credentials keys are required and outbound calls are https-only to public addresses by default', () => {
    expect(() => loadTweeterConfig({ NODE_ENV: 'production' })).toThrow(ConfigError);
    const config = loadTweeterConfig({ NODE_ENV: 'production', CREDENTIALS_KEYS: oneKey, PUBLIC_BASE_URL: 'https://trendcast.example' });
    expect(config.OUTBOUND_ALLOW_HTTP).toBe(false);
    expect(config.OUTBOUND_ALLOW_PRIVATE_ADDRESSES).toBe(false);
    expect(config.credentialKeyring).toMatchObject({ activeKeyId: 'k1', usingDevelopmentKey: false });
    expect('CREDENTIALS_KEYS' in config).toBe(false);
  });

  it('when a setting is wrong, then start-up fails naming the variable and never echoing a key', () => {
    const badKey = randomBytes(8).toString('base64');
    let error: ConfigError | undefined;
    try {
      loadTweeterConfig({ CREDENTIALS_KEYS: JSON.stringify([{ id: 'k1', key: badKey }]), OUTBOUND_ALLOWED_RANGES: '10.0.0.0/40' });
    } catch (e) {
      error = e as ConfigError;
    }
    expect(error?.problems.map((p) => p.variable).sort()).toEqual(['CREDENTIALS_KEYS', 'OUTBOUND_ALLOWED_RANGES']);
    expect(error?.message).not.toContain(badKey);
  });

  it('when the test environment sets nothing, then private addresses are refused unless allowed explicitly', () => {
    expect(loadTweeterConfig({ NODE_ENV: 'test' }).OUTBOUND_ALLOW_PRIVATE_ADDRESSES).toBe(false);
    expect(loadTweeterConfig({ NODE_ENV: 'test', OUTBOUND_ALLOW_PRIVATE_ADDRESSES: 'true' }).OUTBOUND_ALLOW_PRIVATE_ADDRESSES).toBe(true);
  });
});
