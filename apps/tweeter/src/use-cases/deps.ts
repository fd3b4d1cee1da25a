import type { Logger } from '@trendcast/core';
import type { TweeterDatabase } from '../db/client.js';
import type { RetrySettings } from '../domain/retry-policy.js';
import type { HttpClient } from '../integrations/http/http-client.js';
import type { InstanceLimitsCache } from '../integrations/mastodon/mastodon-adapter.js';
import type { TweeterMetrics } from '../metrics.js';
import type { CredentialCipher } from '../security/credential-cipher.js';
import type { PublishQueue } from '../workers/publish-queue.js';

export interface TweeterSettings {
  /** Where people reach Trendcast: timeline URLs and the page the OAuth callback returns to. */
  publicBaseUrl: string;
  /** Our Mastodon OAuth callback (through the gateway). */
  mastodonCallbackUrl: string;
  mastodonAppName: string;
  mastodonAppWebsite: string | undefined;
  oauthStateTtlMs: number;
  /** http:// instance addresses accepted (local runs). */
  allowHttpInstances: boolean;
  retry: RetrySettings;
  /** A claim older than this belongs to a dead worker. */
  leaseMs: number;
  /** Attempts in flight at once for one channel. */
  channelConcurrency: number;
  /** Posts due within this much are checked for a job by the reconciler. */
  reconcileLookaheadMs: number;
}

/** Everything the use cases need, built once in the composition root (service.ts); each use case is `fn(deps, input)`. */
export interface TweeterDeps {
  db: TweeterDatabase;
  queue: PublishQueue;
  cipher: CredentialCipher;
  /** The SSRF-guarded client every call to an instance goes through. */
  http: HttpClient;
  limitsCache: InstanceLimitsCache;
  logger: Logger;
  metrics: TweeterMetrics;
  settings: TweeterSettings;
  now: () => Date;
}
