import { findMastodonApp, saveMastodonApp } from '../data/mastodon-apps.js';
import type { ChannelRow } from '../db/schema.js';
import { tweeterError } from '../domain/errors.js';
import {
  buildAuthorizeUrl,
  createPkcePair,
  exchangeAuthorizationCode,
  MastodonOAuthError,
  registerMastodonApp,
  type MastodonApp,
} from '../integrations/mastodon/oauth.js';
import { mastodonAppContext } from '../security/credential-cipher.js';
import { createOAuthState, openOAuthState, OAuthStateError } from '../security/oauth-state.js';
import type { TweeterDeps } from './deps.js';
import { inspectMastodonAccount, instanceOriginOf, storeMastodonChannel } from './manage-channels.js';

/** Our OAuth client on the instance: the one registered before, or a new registration (kept, secret sealed). */
async function mastodonAppFor(deps: TweeterDeps, instanceUrl: string, o: { fresh?: boolean } = {}): Promise<MastodonApp> {
  const redirectUri = deps.settings.mastodonCallbackUrl;
  const known = o.fresh ? undefined : await findMastodonApp(deps.db, { instanceUrl, redirectUri });
  if (known) {
    return {
      instanceUrl,
      redirectUri,
      clientId: known.clientId,
      clientSecret: deps.cipher.decrypt(known.sealedClientSecret, mastodonAppContext(instanceUrl)),
      scopes: known.scopes.split(' '),
    };
  }
  const app = await registerMastodonApp(deps.http, {
    instanceUrl,
    clientName: deps.settings.mastodonAppName,
    redirectUri,
    ...(deps.settings.mastodonAppWebsite ? { website: deps.settings.mastodonAppWebsite } : {}),
  });
  await saveMastodonApp(deps.db, {
    instanceUrl,
    redirectUri,
    clientId: app.clientId,
    sealedClientSecret: deps.cipher.encrypt(app.clientSecret, mastodonAppContext(instanceUrl)),
    credentialsKeyId: deps.cipher.activeKeyId,
    scopes: app.scopes.join(' '),
  });
  return app;
}

/**
 * Starts connecting a Mastodon account: registers Trendcast with the instance (once), and returns
 * where to send the browser, with an encrypted state bound to this user and to `browserBinding`
 * (set as a cookie, checked by the callback).
 */
export async function startMastodonAuthorization(
  deps: TweeterDeps,
  o: { userId: string; instanceUrl: string; name: string },
): Promise<{ authorizeUrl: string; browserBinding: string; expiresAt: Date }> {
  const instanceUrl = instanceOriginOf(deps, o.instanceUrl);
  let app: MastodonApp;
  try {
    app = await mastodonAppFor(deps, instanceUrl);
  } catch (error) {
    if (!(error instanceof MastodonOAuthError)) throw error;
    const code = error.code === 'INSTANCE_NOT_ALLOWED' ? 'INSTANCE_NOT_ALLOWED' : 'INSTANCE_UNREACHABLE';
    throw tweeterError(code, { message: error.message, details: { reason: error.code } });
  }
  const pkce = createPkcePair();
  const state = createOAuthState(
    deps.cipher,
    { userId: o.userId, instanceUrl, channelName: o.name, codeVerifier: pkce.verifier },
    { ttlMs: deps.settings.oauthStateTtlMs, now: deps.now() },
  );
  return { authorizeUrl: buildAuthorizeUrl(app, { state: state.state, codeChallenge: pkce.challenge }), browserBinding: state.browserBinding, expiresAt: state.expiresAt };
}

export type AuthorizationOutcome = { ok: true; channel: ChannelRow } | { ok: false; code: string };

/**
 * The callback: checks the state came from this browser and is fresh, exchanges the code (with the
 * PKCE verifier), reads the account and the instance's limit, stores the channel. Every failure is
 * a code for the page the browser returns to; nothing secret is in it.
 */
export async function completeMastodonAuthorization(
  deps: TweeterDeps,
  o: { code: string | undefined; state: string; browserBinding: string | undefined; error?: string | undefined },
): Promise<AuthorizationOutcome> {
  let request;
  try {
    request = openOAuthState(deps.cipher, o.state, o.browserBinding, deps.now());
  } catch (error) {
    if (error instanceof OAuthStateError) return { ok: false, code: error.code };
    throw error;
  }
  if (o.error || !o.code) return { ok: false, code: 'ACCESS_DENIED' };
  try {
    const app = await mastodonAppFor(deps, request.instanceUrl);
    const grant = await exchangeAuthorizationCode(deps.http, app, { code: o.code, codeVerifier: request.codeVerifier });
    const inspected = await inspectMastodonAccount(deps, { instanceUrl: request.instanceUrl, accessToken: grant.accessToken });
    const channel = await storeMastodonChannel(deps, {
      userId: request.userId,
      name: request.channelName,
      instanceUrl: request.instanceUrl,
      accessToken: grant.accessToken,
      ...inspected,
    });
    return { ok: true, channel };
  } catch (error) {
    if (error instanceof MastodonOAuthError) return { ok: false, code: error.code };
    if (error instanceof Error && 'code' in error && typeof error.code === 'string' && error.name === 'DomainError') return { ok: false, code: error.code };
    throw error;
  }
}
