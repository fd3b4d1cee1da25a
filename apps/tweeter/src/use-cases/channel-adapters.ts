import { z } from 'zod';
import { isPostPublished } from '../data/posts.js';
import type { ChannelRow } from '../db/schema.js';
import type { ChannelAdapter } from '../domain/channel-adapter.js';
import { ChannelError } from '../domain/channel-error.js';
import { MastodonAdapter } from '../integrations/mastodon/mastodon-adapter.js';
import { TimelineAdapter } from '../integrations/timeline/timeline-adapter.js';
import { channelCredentialsContext, CredentialDecryptError } from '../security/credential-cipher.js';
import type { TweeterDeps } from './deps.js';

const mastodonCredentialsSchema = z.object({ accessToken: z.string().min(1) });
export type StoredMastodonCredentials = z.infer<typeof mastodonCredentialsSchema>;

/** Seals a channel's credentials for its row (the row's id is part of the associated data). */
export function sealCredentials(deps: Pick<TweeterDeps, 'cipher'>, channelId: string, credentials: StoredMastodonCredentials) {
  return {
    sealedCredentials: deps.cipher.encrypt(JSON.stringify(credentials), channelCredentialsContext(channelId)),
    credentialsKeyId: deps.cipher.activeKeyId,
  };
}

/** The channel's credentials, decrypted; ChannelError `auth_revoked` when they cannot be read. */
export function openCredentials(deps: Pick<TweeterDeps, 'cipher'>, channel: ChannelRow): StoredMastodonCredentials {
  if (!channel.sealedCredentials) throw new ChannelError('auth_revoked', 'the channel has no credentials');
  try {
    return mastodonCredentialsSchema.parse(JSON.parse(deps.cipher.decrypt(channel.sealedCredentials, channelCredentialsContext(channel.id))));
  } catch (error) {
    const why = error instanceof CredentialDecryptError ? error.message : 'the stored credentials are unreadable';
    throw new ChannelError('auth_revoked', why);
  }
}

/** The adapter that speaks for the channel; ChannelError `auth_revoked` when its stored credentials cannot be read. */
export function adapterFor(deps: Pick<TweeterDeps, 'db' | 'cipher' | 'http' | 'limitsCache' | 'settings'>, channel: ChannelRow): ChannelAdapter {
  if (channel.kind === 'timeline') {
    return new TimelineAdapter({
      handle: channel.handle ?? '',
      publicBaseUrl: deps.settings.publicBaseUrl,
      isPublished: (postId) => isPostPublished(deps.db, postId),
    });
  }
  if (!channel.instanceUrl) throw new ChannelError('auth_revoked', 'the channel has no credentials');
  const credentials = openCredentials(deps, channel);
  return new MastodonAdapter({ http: deps.http, credentials: { instanceUrl: channel.instanceUrl, accessToken: credentials.accessToken }, limitsCache: deps.limitsCache });
}
