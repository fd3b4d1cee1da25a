import type { z } from 'zod';
import type { ChannelAccount, ChannelLimits, IdempotentChannelAdapter, OutgoingPost, PublishedPost } from '../../domain/channel-adapter.js';
import { ChannelError } from '../../domain/channel-error.js';
import type { HttpClient, HttpResponse } from '../http/http-client.js';
import { classifyResponse, classifyTransportError, type CallKind } from './classify.js';
import { credentialAccountSchema, instanceV1Schema, instanceV2Schema, statusSchema } from './wire.js';

export interface MastodonCredentials {
  /** The instance's origin, e.g. `https://mastodon.social` (see normalizeInstanceUrl). */
  instanceUrl: string;
  accessToken: string;
}

export interface MastodonAdapterOptions {
  http: HttpClient;
  credentials: MastodonCredentials;
  /** `public` by default; `unlisted` keeps posts off the instance's public timelines. */
  visibility?: 'public' | 'unlisted';
  /** Instance limits already read, shared between adapters of one instance (origin → limits). */
  limitsCache?: InstanceLimitsCache;
  now?: () => Date;
}

/** Mastodon's own defaults, for instances that do not report theirs. */
export const mastodonDefaultLimits: ChannelLimits = { maxCharacters: 500, linkWeight: 23 };

/** Mastodon remembers an Idempotency-Key for one hour (PostStatusService). */
export const mastodonIdempotencyWindowMs = 60 * 60 * 1000;

/**
 * Publishes to a Mastodon account. Every status carries an Idempotency-Key, so a retry after an
 * unknown outcome returns the status made the first time instead of a second one.
 */
export class MastodonAdapter implements IdempotentChannelAdapter {
  readonly kind = 'mastodon' as const;
  readonly supportsIdempotencyKey = true as const;
  readonly idempotencyWindowMs = mastodonIdempotencyWindowMs;
  private readonly origin: string;
  private readonly now: () => Date;

  constructor(private readonly options: MastodonAdapterOptions) {
    this.origin = new URL(options.credentials.instanceUrl).origin;
    this.now = options.now ?? (() => new Date());
  }

  async publish(post: OutgoingPost, idempotencyKey: string): Promise<PublishedPost> {
    if (idempotencyKey.trim() === '') throw new Error('an idempotency key is required');
    const body = { status: post.text, visibility: this.options.visibility ?? 'public', ...(post.language ? { language: post.language } : {}) };
    const response = await this.call('POST', '/api/v1/statuses', 'publish', {
      body: JSON.stringify(body),
      headers: { 'content-type': 'application/json', 'idempotency-key': idempotencyKey },
    });
    // The status exists now: an answer we cannot read leaves its address unknown, not its existence.
    const status = this.parse(response, statusSchema, 'unknown_outcome');
    return { remoteId: status.id, url: status.url ?? status.uri };
  }

  async verify(): Promise<ChannelAccount> {
    const response = await this.call('GET', '/api/v1/accounts/verify_credentials', 'read');
    const account = this.parse(response, credentialAccountSchema, 'temporary');
    const host = new URL(this.origin).host;
    const acct = account.acct.includes('@') ? account.acct : `${account.acct}@${host}`;
    return { remoteId: account.id, accountName: `@${acct}`, displayName: account.display_name || account.username, url: account.url };
  }

  /** The instance's `configuration.statuses` from /api/v2/instance (v1 for servers before 4.0). */
  async limits(): Promise<ChannelLimits> {
    const cached = this.options.limitsCache?.get(this.origin, this.now());
    if (cached) return cached;
    const response = await this.call('GET', '/api/v2/instance', 'read', { accept404: true });
    let limits: ChannelLimits;
    if (response.status === 404) {
      const v1 = this.parse(await this.call('GET', '/api/v1/instance', 'read'), instanceV1Schema, 'temporary');
      limits = {
        maxCharacters: v1.configuration?.statuses?.max_characters ?? v1.max_toot_chars ?? mastodonDefaultLimits.maxCharacters,
        linkWeight: v1.configuration?.statuses?.characters_reserved_per_url ?? mastodonDefaultLimits.linkWeight,
      };
    } else {
      const v2 = this.parse(response, instanceV2Schema, 'temporary');
      limits = {
        maxCharacters: v2.configuration?.statuses?.max_characters ?? mastodonDefaultLimits.maxCharacters,
        linkWeight: v2.configuration?.statuses?.characters_reserved_per_url ?? mastodonDefaultLimits.linkWeight,
      };
    }
    this.options.limitsCache?.set(this.origin, limits, this.now());
    return limits;
  }

  private async call(
    method: 'GET' | 'POST',
    path: string,
    kind: CallKind,
    extra: { body?: string; headers?: Record<string, string>; accept404?: boolean } = {},
  ): Promise<HttpResponse> {
    let response: HttpResponse;
    try {
      response = await this.options.http.request(`${this.origin}${path}`, {
        method,
        headers: { accept: 'application/json', authorization: `Bearer ${this.options.credentials.accessToken}`, ...extra.headers },
        ...(extra.body !== undefined ? { body: extra.body } : {}),
      });
    } catch (error) {
      throw classifyTransportError(error, kind);
    }
    if ((response.status >= 200 && response.status < 300) || (extra.accept404 && response.status === 404)) return response;
    throw classifyResponse(response, [this.options.credentials.accessToken], this.now());
  }

  private parse<S extends z.ZodType>(response: HttpResponse, schema: S, kindIfUnreadable: 'temporary' | 'unknown_outcome'): z.output<S> {
    let json: unknown;
    try {
      json = JSON.parse(response.body);
    } catch {
      json = undefined;
    }
    const result = schema.safeParse(json);
    if (result.success) return result.data;
    throw new ChannelError(kindIfUnreadable, `the instance answered ${response.status} with something that is not Mastodon's API`, { status: response.status });
  }
}

/** Instance limits kept for a while, shared by every adapter talking to one instance. */
export class InstanceLimitsCache {
  private readonly entries = new Map<string, { limits: ChannelLimits; expiresAt: number }>();

  constructor(private readonly ttlMs: number) {}

  get(origin: string, now: Date): ChannelLimits | undefined {
    const entry = this.entries.get(origin);
    return entry && entry.expiresAt > now.getTime() ? entry.limits : undefined;
  }

  set(origin: string, limits: ChannelLimits, now: Date): void {
    this.entries.set(origin, { limits, expiresAt: now.getTime() + this.ttlMs });
  }
}
