import { randomUUID } from 'node:crypto';
import { channelsOfUser, deleteUsersChannel, findUsersChannel, insertChannel } from '../data/channels.js';
import { pendingPostIdsOfChannel } from '../data/posts.js';
import type { ChannelRow } from '../db/schema.js';
import type { ChannelAccount, ChannelLimits } from '../domain/channel-adapter.js';
import { isChannelError } from '../domain/channel-error.js';
import { tweeterError } from '../domain/errors.js';
import { parseTimelineHandle, timelineLimits } from '../domain/timeline-rules.js';
import { normalizeInstanceUrl } from '../integrations/http/instance-url.js';
import { isOutboundRequestError } from '../integrations/http/outbound-error.js';
import { MastodonAdapter } from '../integrations/mastodon/mastodon-adapter.js';
import { revokeAccessToken } from '../integrations/mastodon/oauth.js';
import { mastodonAppContext } from '../security/credential-cipher.js';
import { findMastodonApp } from '../data/mastodon-apps.js';
import { adapterFor, openCredentials, sealCredentials } from './channel-adapters.js';
import type { TweeterDeps } from './deps.js';
import { guardUserWrites } from './user-writes.js';

export async function listChannels(deps: TweeterDeps, o: { userId: string }): Promise<ChannelRow[]> {
  return channelsOfUser(deps.db, o.userId);
}

export async function createTimelineChannel(deps: TweeterDeps, o: { userId: string; name: string; handle: string }): Promise<ChannelRow> {
  const handle = parseTimelineHandle(o.handle);
  const now = deps.now();
  return deps.db.transaction(async (tx) => {
    await guardUserWrites(tx, o.userId);
    const created = await insertChannel(tx, {
      id: randomUUID(),
      userId: o.userId,
      kind: 'timeline',
      name: o.name,
      handle,
      accountName: `@${handle}`,
      status: 'active',
      maxCharacters: timelineLimits.maxCharacters,
      linkWeight: timelineLimits.linkWeight,
      createdAt: now,
      updatedAt: now,
    });
    if (!created) throw tweeterError('HANDLE_TAKEN');
    return created;
  });
}

/** The instance's origin from what the person typed; INSTANCE_NOT_ALLOWED for a refused scheme or address form. */
export function instanceOriginOf(deps: Pick<TweeterDeps, 'settings'>, input: string): string {
  try {
    return normalizeInstanceUrl(input, { allowHttp: deps.settings.allowHttpInstances });
  } catch (error) {
    throw tweeterError('INSTANCE_NOT_ALLOWED', { message: isOutboundRequestError(error) ? error.message : 'not a valid server address' });
  }
}

/** Asks the instance whose token this is and what it allows, through the SSRF-guarded client. */
export async function inspectMastodonAccount(
  deps: TweeterDeps,
  o: { instanceUrl: string; accessToken: string },
): Promise<{ account: ChannelAccount; limits: ChannelLimits }> {
  const adapter = new MastodonAdapter({ http: deps.http, credentials: o, limitsCache: deps.limitsCache });
  try {
    const account = await adapter.verify();
    const limits = await adapter.limits();
    return { account, limits };
  } catch (error) {
    if (!isChannelError(error)) throw error;
    if (error.kind === 'auth_revoked') throw tweeterError('CREDENTIALS_REJECTED', { message: error.reason });
    const refused = isOutboundRequestError(error.cause) && (error.cause.code === 'DESTINATION_REFUSED' || error.cause.code === 'SCHEME_REFUSED');
    if (refused) throw tweeterError('INSTANCE_NOT_ALLOWED', { message: error.reason });
    if (error.kind === 'rejected') throw tweeterError('INSTANCE_REFUSED', { message: error.reason });
    throw tweeterError('INSTANCE_UNREACHABLE', { message: error.reason });
  }
}

/** Stores a Mastodon channel whose token was checked with the instance. */
export async function storeMastodonChannel(
  deps: TweeterDeps,
  o: { userId: string; name: string; instanceUrl: string; accessToken: string; account: ChannelAccount; limits: ChannelLimits },
): Promise<ChannelRow> {
  const id = randomUUID();
  const now = deps.now();
  return deps.db.transaction(async (tx) => {
    await guardUserWrites(tx, o.userId);
    const created = await insertChannel(tx, {
      id,
      userId: o.userId,
      kind: 'mastodon',
      name: o.name,
      instanceUrl: o.instanceUrl,
      accountName: o.account.accountName,
      ...sealCredentials(deps, id, { accessToken: o.accessToken }),
      status: 'active',
      maxCharacters: o.limits.maxCharacters,
      linkWeight: o.limits.linkWeight,
      createdAt: now,
      updatedAt: now,
    });
    if (!created) throw new Error('a new channel id collided');
    return created;
  });
}

export async function createMastodonChannel(
  deps: TweeterDeps,
  o: { userId: string; name: string; instanceUrl: string; accessToken: string },
): Promise<ChannelRow> {
  const instanceUrl = instanceOriginOf(deps, o.instanceUrl);
  const inspected = await inspectMastodonAccount(deps, { instanceUrl, accessToken: o.accessToken });
  return storeMastodonChannel(deps, { ...o, instanceUrl, ...inspected });
}

/**
 * Deletes the channel with its posts; the jobs of its pending posts are removed after the commit (a
 * missed one finds nothing), and a Mastodon token issued to Trendcast's app is revoked (best effort).
 */
export async function deleteChannel(deps: TweeterDeps, o: { userId: string; channelId: string }): Promise<boolean> {
  let pending: string[] = [];
  let channel: ChannelRow | undefined;
  const deleted = await deps.db.transaction(async (tx) => {
    await guardUserWrites(tx, o.userId);
    channel = await findUsersChannel(tx, o);
    pending = await pendingPostIdsOfChannel(tx, o.channelId);
    return deleteUsersChannel(tx, o);
  });
  if (!deleted) return false;
  await Promise.all(pending.map((postId) => deps.queue.remove(postId).catch(() => undefined)));
  if (channel?.kind === 'mastodon') await revokeChannelToken(deps, channel);
  return true;
}

async function revokeChannelToken(deps: TweeterDeps, channel: ChannelRow): Promise<void> {
  if (!channel.instanceUrl || !channel.sealedCredentials) return;
  try {
    const app = await findMastodonApp(deps.db, { instanceUrl: channel.instanceUrl, redirectUri: deps.settings.mastodonCallbackUrl });
    // A token pasted by hand was issued to another app: only the instance's own settings page can revoke it.
    if (!app) return;
    const { accessToken } = openCredentials(deps, channel);
    await revokeAccessToken(
      deps.http,
      { instanceUrl: app.instanceUrl, redirectUri: app.redirectUri, clientId: app.clientId, clientSecret: deps.cipher.decrypt(app.sealedClientSecret, mastodonAppContext(app.instanceUrl)), scopes: app.scopes.split(' ') },
      accessToken,
    );
  } catch (error) {
    deps.logger.warn({ err: error, channelId: channel.id }, 'could not revoke the token of a deleted channel');
  }
}

/** "Test channel": whether its credentials still work, and whose account they open. */
export async function testChannel(deps: TweeterDeps, o: { userId: string; channelId: string }): Promise<{ ok: boolean; accountName?: string; error?: string } | undefined> {
  const channel = await findUsersChannel(deps.db, o);
  if (!channel) return undefined;
  try {
    const account = await adapterFor(deps, channel).verify();
    return { ok: true, accountName: account.accountName };
  } catch (error) {
    if (isChannelError(error)) return { ok: false, error: error.reason };
    throw error;
  }
}
