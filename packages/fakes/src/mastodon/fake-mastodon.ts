import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { countPostText } from '@trendcast/post-text';
import {
  renderCredentialAccount,
  renderCredentialApplication,
  renderInstance,
  renderStatus,
  type FakeAccount,
  type FakeApplication,
  type FakeStatus,
  type InstanceSettings,
} from './entities.js';
import {
  serverErrorPages,
  targetOf,
  temporaryProblemMessage,
  tooManyRequestsMessage,
  type FakeMastodonFault,
  type FaultTarget,
} from './faults.js';
import { BodyTooLargeError, fromForm, readParams, redirect, sendHtml, sendJson, single, type Params } from './http-io.js';
import { knownScopes, OAuthStore, parseScopes, s256, scopesCover, secretToken, type FakeToken } from './oauth-store.js';
import { FixedWindowLimiter, iso8601Micro, rateLimitHeaders, type RateLimitSettings } from './rate-limit.js';

export interface FakeMastodonOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
  /** The origin status and profile URLs use; the server's own http origin by default. */
  publicOrigin?: string;
  /** `domain` in /api/v2/instance; the host:port by default. */
  domain?: string;
  /** `configuration.statuses.max_characters`; Mastodon's default is 500. */
  maxCharacters?: number;
  /** How long an Idempotency-Key is remembered; Mastodon keeps it 1 hour. */
  idempotencyWindowSeconds?: number;
  /** Requests per token per window before 429; rack-attack's 300 per 5 minutes by default. */
  rateLimit?: RateLimitSettings;
  /** Accounts that exist from the start; `trendcast` by default. */
  accounts?: string[];
  /** The account /oauth/authorize signs in as; the first account by default. */
  authorizeAs?: string;
  /** The fake's clock (rate-limit windows, idempotency expiry, codes). */
  now?: () => number;
}

export interface ReceivedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  /** Lower-cased header names. */
  headers: Record<string, string>;
  params: Params;
  target: FaultTarget | 'other';
  status?: number;
  fault?: FakeMastodonFault['kind'];
  at: Date;
}

const userScopesForStatuses = ['write:statuses'];
const userScopesForAccount = ['read:accounts', 'profile'];
const codeLifetimeMs = 10 * 60 * 1000;

/**
 * A local Mastodon server speaking the parts of its API Trendcast uses, over real HTTP: app
 * registration, the OAuth authorization-code flow (auto-approving, PKCE S256 checked), token
 * revocation, verify_credentials, /api/v2/instance and status creation with Mastodon's
 * Idempotency-Key semantics (per account, remembered for an hour, a concurrent duplicate gets 503),
 * rate-limit headers, and its error bodies. Failures can be scripted per request.
 */
export class FakeMastodon {
  readonly requests: ReceivedRequest[] = [];
  private readonly server: http.Server;
  private readonly sockets = new Set<Socket>();
  private readonly oauth = new OAuthStore();
  private readonly accounts: FakeAccount[] = [];
  private readonly stored: FakeStatus[] = [];
  private readonly idempotency = new Map<string, { statusId: string; expiresAt: number }>();
  private readonly locks = new Set<string>();
  private readonly faults: Array<{ fault: FakeMastodonFault; target: FaultTarget }> = [];
  private persistentFault: { fault: FakeMastodonFault; target: FaultTarget } | null = null;
  private readonly limiter: FixedWindowLimiter;
  private readonly now: () => number;
  private readonly settings: InstanceSettings;
  private lastIdMs = 0;
  private idSequence = 0;
  private cliApp: FakeApplication | undefined;

  constructor(private readonly options: FakeMastodonOptions = {}) {
    this.now = options.now ?? Date.now;
    this.limiter = new FixedWindowLimiter(options.rateLimit ?? { limit: 300, periodSeconds: 300 }, this.now);
    this.settings = {
      domain: options.domain ?? '',
      title: 'Fake Mastodon',
      version: '4.4.0',
      maxCharacters: options.maxCharacters ?? 500,
      charactersReservedPerUrl: 23,
    };
    for (const username of options.accounts ?? ['trendcast']) this.createAccount(username);
    this.server = http.createServer((request, response) => {
      this.handle(request, response).catch((error: unknown) => {
        if (error instanceof BodyTooLargeError) return sendJson(response, 413, { error: 'Request entity too large' });
        if (error instanceof SyntaxError) return sendJson(response, 400, { error: 'Error occurred while parsing request parameters' });
        response.destroy(error instanceof Error ? error : new Error(String(error)));
      });
    });
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.options.port ?? 0, this.options.host ?? '127.0.0.1', () => resolve());
    });
    if (!this.settings.domain) this.settings.domain = this.url.host;
    return this;
  }

  get port(): number {
    const address = this.server.address();
    if (!address || typeof address === 'string') throw new Error('the fake Mastodon is not listening');
    return address.port;
  }

  /** Where the server listens, e.g. `http://127.0.0.1:41234`. */
  get origin(): string {
    const host = this.options.host ?? '127.0.0.1';
    return `http://${host.includes(':') ? `[${host}]` : host}:${this.port}`;
  }

  get url(): URL {
    return new URL(this.origin);
  }

  private get publicOrigin(): string {
    return this.options.publicOrigin?.replace(/\/$/, '') ?? this.origin;
  }

  // ---- seeding ------------------------------------------------------------------------------

  createAccount(username: string, displayName = username): FakeAccount {
    const account: FakeAccount = { id: this.snowflake(), username, displayName, createdAt: new Date(this.now()) };
    this.accounts.push(account);
    return account;
  }

  /** A user token for `username` as if they had authorized a client, without the browser dance. */
  issueToken(username: string, scopes: string[] = ['write:statuses', 'read:accounts']): string {
    const account = this.account(username);
    this.cliApp ??= this.oauth.registerApplication({ name: 'Fake Mastodon console', website: null, redirectUris: ['urn:ietf:wg:oauth:2.0:oob'], scopes: ['read', 'write'] });
    return this.oauth.issueToken(this.cliApp.clientId, account.id, scopes, new Date(this.now())).token;
  }

  revokeToken(token: string): void {
    const found = this.oauth.tokens.get(token);
    if (found) found.revoked = true;
  }

  setMaxCharacters(maxCharacters: number): this {
    this.settings.maxCharacters = maxCharacters;
    return this;
  }

  // ---- scripting ----------------------------------------------------------------------------

  /** The next matching requests get these faults, one each, in order. */
  failNext(faults: FakeMastodonFault | FakeMastodonFault[], target: FaultTarget = 'statuses'): this {
    for (const fault of [faults].flat()) this.faults.push({ fault, target });
    return this;
  }

  /** Every matching request gets this fault until `failAlways(null)`. */
  failAlways(fault: FakeMastodonFault | null, target: FaultTarget = 'statuses'): this {
    this.persistentFault = fault ? { fault, target } : null;
    return this;
  }

  // ---- inspection ---------------------------------------------------------------------------

  /** Statuses the account has, oldest first. */
  statusesOf(username: string): FakeStatus[] {
    const account = this.account(username);
    return this.stored.filter((status) => status.accountId === account.id);
  }

  get statuses(): readonly FakeStatus[] {
    return this.stored;
  }

  get applications(): readonly FakeApplication[] {
    return this.oauth.applications;
  }

  /** Tokens issued so far (revoked ones included, marked). */
  get tokens(): readonly FakeToken[] {
    return [...this.oauth.tokens.values()];
  }

  requestsTo(target: FaultTarget): ReceivedRequest[] {
    return this.requests.filter((request) => target === 'any' || request.target === target);
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  // ---- request handling ---------------------------------------------------------------------

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://fake.invalid');
    const method = request.method ?? 'GET';
    const target = targetOf(method, url.pathname);
    const { params } = await readParams(request);
    const seen: ReceivedRequest = {
      method,
      path: url.pathname,
      query: url.searchParams,
      headers: Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : (v ?? '')])),
      params: { ...fromForm(url.searchParams), ...params },
      target,
      at: new Date(this.now()),
    };
    this.requests.push(seen);
    response.on('finish', () => (seen.status = response.statusCode));

    const fault = target === 'other' ? undefined : this.takeFault(target);
    if (fault) seen.fault = fault.kind;
    if (fault?.kind === 'drop') {
      request.socket.destroy();
      return;
    }
    if (fault?.kind === 'slow' && target !== 'statuses') await this.sleep(fault.ms);
    if (fault?.kind === 'no-answer' && target !== 'statuses') return;

    switch (target) {
      case 'apps':
        return this.createApp(seen.params, response, fault);
      case 'authorize':
        return this.authorize(url, response, fault);
      case 'token':
        return this.token(request, seen.params, response, fault);
      case 'revoke':
        return this.revoke(request, seen.params, response, fault);
      case 'instance':
        return this.api(request, response, fault, null, () => this.instance(response));
      case 'verify_credentials':
        return this.api(request, response, fault, userScopesForAccount, (token, headers) => this.verifyCredentials(this.userOf(token), response, headers));
      case 'statuses':
        return this.api(request, response, fault, userScopesForStatuses, (token, headers) =>
          this.createStatus(request, seen.params, this.userOf(token), token?.clientId ?? '', response, headers, fault),
        );
      default:
        return this.other(method, url.pathname, response);
    }
  }

  /**
   * What every /api request goes through before its controller: rack-attack's throttle (429 with
   * X-RateLimit-*), Doorkeeper's token check (401/403), then the faults that stand in for the
   * controller's answer.
   */
  private api(
    request: IncomingMessage,
    response: ServerResponse,
    fault: FakeMastodonFault | undefined,
    neededScopes: string[] | null,
    controller: (token: FakeToken | undefined, headers: Record<string, string>) => void | Promise<void>,
  ): void | Promise<void> {
    const bearer = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
    const token = bearer === undefined ? undefined : this.oauth.tokens.get(bearer);
    const throttleKey = token ? `token:${token.token}` : `ip:${request.socket.remoteAddress ?? ''}`;
    const { allowed, state } = this.limiter.hit(throttleKey);
    const limitHeaders = rateLimitHeaders(state);

    if (!allowed || fault?.kind === 'rate-limited') {
      const resetAt = fault?.kind === 'rate-limited' && fault.resetInSeconds !== undefined ? new Date(this.now() + fault.resetInSeconds * 1000) : state.resetAt;
      const limit = fault?.kind === 'rate-limited' && fault.limit !== undefined ? fault.limit : state.limit;
      return sendJson(response, 429, { error: tooManyRequestsMessage }, {
        'X-RateLimit-Limit': String(limit),
        'X-RateLimit-Remaining': '0',
        'X-RateLimit-Reset': iso8601Micro(resetAt),
      });
    }

    if (fault?.kind === 'token-revoked' && token) token.revoked = true;
    if (neededScopes) {
      if (!token || token.revoked || fault?.kind === 'token-revoked') {
        const description = token?.revoked || fault?.kind === 'token-revoked' ? 'The access token was revoked' : 'The access token is invalid';
        return sendJson(response, 401, { error: description }, {
          'WWW-Authenticate': `Bearer realm="Doorkeeper", error="invalid_token", error_description="${description}"`,
        });
      }
      if (!scopesCover(token.scopes, neededScopes)) {
        return sendJson(response, 403, { error: 'This action is outside the authorized scopes' }, {
          'WWW-Authenticate': 'Bearer realm="Doorkeeper", error="insufficient_scope", error_description="The request requires higher privileges than provided by the access token."',
          ...limitHeaders,
        });
      }
      if (token.accountId === null) return sendJson(response, 422, { error: 'This method requires an authenticated user' }, limitHeaders);
    }

    if (fault?.kind === 'validation') return sendJson(response, 422, { error: fault.error ?? 'Validation failed: Text can\'t be blank' }, limitHeaders);
    if (fault?.kind === 'server-error') return this.serverError(response, fault.status ?? 500);
    return controller(token, limitHeaders);
  }

  private serverError(response: ServerResponse, status: 500 | 502 | 503 | 504): void {
    if (status === 503) return sendJson(response, 503, { error: temporaryProblemMessage });
    return sendHtml(response, status, serverErrorPages[status]);
  }

  private instance(response: ServerResponse): void {
    sendJson(response, 200, renderInstance(this.settings, this.publicOrigin, this.accounts.length));
  }

  private verifyCredentials(account: FakeAccount, response: ServerResponse, headers: Record<string, string>): void {
    sendJson(response, 200, renderCredentialAccount(account, this.publicOrigin, this.countStatuses(account.id)), headers);
  }

  private async createStatus(
    request: IncomingMessage,
    params: Params,
    account: FakeAccount,
    clientId: string,
    response: ServerResponse,
    headers: Record<string, string>,
    fault: FakeMastodonFault | undefined,
  ): Promise<void> {
    const key = request.headers['idempotency-key'];
    const idempotencyKey = typeof key === 'string' && key.trim() !== '' ? key : undefined;
    const lockName = idempotencyKey ? `${account.id}:${idempotencyKey}` : undefined;

    let status: FakeStatus;
    if (lockName) {
      // PostStatusService#with_idempotency: a request arriving while another with the same key is
      // being processed cannot take the lock, and Mastodon answers 503 "try again".
      if (this.locks.has(lockName)) return sendJson(response, 503, { error: temporaryProblemMessage });
      const known = this.idempotency.get(lockName);
      if (known && known.expiresAt > this.now()) {
        const existing = this.stored.find((s) => s.id === known.statusId);
        if (existing) return this.answerStatus(response, existing, account, headers, fault);
      }
      this.locks.add(lockName);
      try {
        if (fault?.kind === 'slow') await this.sleep(fault.ms);
        const created = this.validateAndStore(params, account, clientId, idempotencyKey);
        if (typeof created === 'string') return sendJson(response, 422, { error: created }, headers);
        status = created;
        this.idempotency.set(lockName, { statusId: status.id, expiresAt: this.now() + (this.options.idempotencyWindowSeconds ?? 3600) * 1000 });
      } finally {
        this.locks.delete(lockName);
      }
    } else {
      if (fault?.kind === 'slow') await this.sleep(fault.ms);
      const created = this.validateAndStore(params, account, clientId, undefined);
      if (typeof created === 'string') return sendJson(response, 422, { error: created }, headers);
      status = created;
    }
    this.answerStatus(response, status, account, headers, fault);
  }

  private answerStatus(response: ServerResponse, status: FakeStatus, account: FakeAccount, headers: Record<string, string>, fault: FakeMastodonFault | undefined): void {
    // The status exists now; the client just never hears of it.
    if (fault?.kind === 'no-answer') return;
    sendJson(response, 200, renderStatus(status, account, this.publicOrigin, this.countStatuses(account.id)), headers);
  }

  /** The status, or Mastodon's validation message. */
  private validateAndStore(params: Params, account: FakeAccount, clientId: string, idempotencyKey: string | undefined): FakeStatus | string {
    const text = single(params, 'status') ?? '';
    const spoilerText = single(params, 'spoiler_text') ?? '';
    if (text.trim() === '') return "Validation failed: Text can't be blank";
    // StatusLengthValidator: the text and the content warning together, links as 23, mentions by local part.
    if (countPostText(`${spoilerText}${text}`) > this.settings.maxCharacters) {
      return `Validation failed: Text character limit of ${this.settings.maxCharacters} exceeded`;
    }
    const visibility = single(params, 'visibility') ?? 'public';
    if (!['public', 'unlisted', 'private', 'direct'].includes(visibility)) return `'${visibility}' is not a valid visibility`;
    const status: FakeStatus = {
      id: this.snowflake(),
      accountId: account.id,
      text,
      visibility: visibility as FakeStatus['visibility'],
      spoilerText,
      sensitive: single(params, 'sensitive') === 'true' || spoilerText !== '',
      language: single(params, 'language') ?? null,
      createdAt: new Date(this.now()),
      applicationName: this.oauth.application(clientId)?.name ?? null,
      ...(idempotencyKey ? { idempotencyKey } : {}),
    };
    this.stored.push(status);
    return status;
  }

  // ---- OAuth --------------------------------------------------------------------------------

  private createApp(params: Params, response: ServerResponse, fault: FakeMastodonFault | undefined): void {
    if (fault?.kind === 'rate-limited') return sendJson(response, 429, { error: tooManyRequestsMessage }, { 'X-RateLimit-Limit': '300', 'X-RateLimit-Remaining': '0', 'X-RateLimit-Reset': iso8601Micro(new Date(this.now() + (fault.resetInSeconds ?? 300) * 1000)) });
    if (fault?.kind === 'server-error') return this.serverError(response, fault.status ?? 500);
    const name = single(params, 'client_name')?.trim() ?? '';
    const raw = params.redirect_uris;
    const redirectUris = (Array.isArray(raw) ? raw : (raw ?? '').split(/\s+/)).map((uri) => uri.trim()).filter(Boolean);
    const scopes = parseScopes(single(params, 'scopes'));
    if (name === '') return sendJson(response, 422, { error: "Validation failed: Application name can't be blank" });
    if (redirectUris.length === 0) return sendJson(response, 422, { error: "Validation failed: Redirect URI can't be blank" });
    if (!redirectUris.every(isAbsoluteRedirectUri)) return sendJson(response, 422, { error: 'Validation failed: Redirect URI must be an absolute URI.' });
    if (!scopes.every((scope) => knownScopes.has(scope))) return sendJson(response, 422, { error: "Validation failed: Scopes doesn't match configured on the server." });
    const website = single(params, 'website')?.trim() || null;
    const app = this.oauth.registerApplication({ name, website, redirectUris, scopes });
    sendJson(response, 200, renderCredentialApplication(app));
  }

  /** Doorkeeper's authorize endpoint with a user who is signed in and always clicks "Authorize". */
  private authorize(url: URL, response: ServerResponse, fault: FakeMastodonFault | undefined): void {
    const query = url.searchParams;
    const app = this.oauth.application(query.get('client_id') ?? undefined);
    if (!app) return sendHtml(response, 401, errorPage('Client authentication failed due to unknown client, no client authentication included, or unsupported authentication method.'));
    const redirectUri = query.get('redirect_uri') ?? '';
    if (!app.redirectUris.includes(redirectUri)) return sendHtml(response, 400, errorPage('The redirect uri included is not valid.'));
    const state = query.get('state');
    const back = (extra: Record<string, string>) => {
      const target = new URL(redirectUri);
      for (const [k, v] of Object.entries(extra)) target.searchParams.set(k, v);
      if (state !== null) target.searchParams.set('state', state);
      return redirect(response, target.toString());
    };
    if (query.get('response_type') !== 'code') {
      return back({ error: 'unsupported_response_type', error_description: 'The authorization server does not support this response type.' });
    }
    const scopes = parseScopes(query.get('scope') ?? undefined);
    if (!scopes.every((scope) => app.scopes.includes(scope) || scopesCover(app.scopes, [scope]))) {
      return back({ error: 'invalid_scope', error_description: 'The requested scope is invalid, unknown, or malformed.' });
    }
    const challenge = query.get('code_challenge') ?? undefined;
    const method = query.get('code_challenge_method') ?? (challenge ? 'plain' : undefined);
    if (challenge && method !== 'S256') {
      return back({ error: 'invalid_request', error_description: 'The request is missing a required parameter, includes an unsupported parameter value, or is otherwise malformed.' });
    }
    if (fault?.kind === 'deny') {
      return back({ error: 'access_denied', error_description: 'The resource owner or authorization server denied the request.' });
    }
    const account = this.account(this.options.authorizeAs ?? this.accounts[0]?.username ?? '');
    const code = secretToken();
    this.oauth.codes.set(code, {
      code,
      clientId: app.clientId,
      accountId: account.id,
      redirectUri,
      scopes,
      expiresAt: this.now() + codeLifetimeMs,
      used: false,
      ...(challenge ? { codeChallenge: challenge, codeChallengeMethod: method } : {}),
    });
    back({ code });
  }

  private token(request: IncomingMessage, params: Params, response: ServerResponse, fault: FakeMastodonFault | undefined): void {
    if (fault?.kind === 'server-error') return this.serverError(response, fault.status ?? 500);
    const [basicId, basicSecret] = basicCredentials(request.headers.authorization);
    const app = this.oauth.authenticatedApplication(single(params, 'client_id') ?? basicId, single(params, 'client_secret') ?? basicSecret);
    if (!app) {
      return sendJson(response, 401, {
        error: 'invalid_client',
        error_description: 'Client authentication failed due to unknown client, no client authentication included, or unsupported authentication method.',
      }, { 'WWW-Authenticate': 'Bearer realm="Doorkeeper", error="invalid_client"' });
    }
    const grantType = single(params, 'grant_type');
    const now = new Date(this.now());
    if (grantType === 'client_credentials') {
      const token = this.oauth.issueToken(app.clientId, null, parseScopes(single(params, 'scope')), now);
      return sendJson(response, 200, tokenBody(token));
    }
    if (grantType !== 'authorization_code') {
      return sendJson(response, 400, { error: 'unsupported_grant_type', error_description: 'The authorization grant type is not supported by the authorization server.' });
    }
    const invalidGrant = () =>
      sendJson(response, 400, {
        error: 'invalid_grant',
        error_description: 'The provided authorization grant is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client.',
      });
    const grant = this.oauth.codes.get(single(params, 'code') ?? '');
    if (!grant || grant.used || grant.expiresAt <= this.now() || grant.clientId !== app.clientId || grant.redirectUri !== single(params, 'redirect_uri')) {
      return invalidGrant();
    }
    if (grant.codeChallenge !== undefined) {
      const verifier = single(params, 'code_verifier');
      if (!verifier || s256(verifier) !== grant.codeChallenge) return invalidGrant();
    }
    grant.used = true;
    sendJson(response, 200, tokenBody(this.oauth.issueToken(app.clientId, grant.accountId, grant.scopes, now)));
  }

  /** RFC 7009 as Doorkeeper implements it: 200 `{}` for unknown tokens too, 403 for another client's. */
  private revoke(request: IncomingMessage, params: Params, response: ServerResponse, fault: FakeMastodonFault | undefined): void {
    if (fault?.kind === 'server-error') return this.serverError(response, fault.status ?? 500);
    const [basicId, basicSecret] = basicCredentials(request.headers.authorization);
    const app = this.oauth.authenticatedApplication(single(params, 'client_id') ?? basicId, single(params, 'client_secret') ?? basicSecret);
    const token = this.oauth.tokens.get(single(params, 'token') ?? '');
    if (!app || (token && token.clientId !== app.clientId)) {
      return sendJson(response, 403, { error: 'unauthorized_client', error_description: 'You are not authorized to revoke this token' });
    }
    if (token) token.revoked = true;
    sendJson(response, 200, {});
  }

  private other(method: string, path: string, response: ServerResponse): void {
    const match = /^\/api\/v1\/statuses\/(\d+)$/.exec(path);
    if (method === 'GET' && match) {
      const status = this.stored.find((s) => s.id === match[1]);
      if (status) {
        const account = this.accountById(status.accountId);
        return sendJson(response, 200, renderStatus(status, account, this.publicOrigin, this.countStatuses(account.id)));
      }
    }
    if (path.startsWith('/api/')) return sendJson(response, 404, { error: 'Record not found' });
    sendHtml(response, 404, errorPage('The page you are looking for isn\'t here.'));
  }

  // ---- helpers ------------------------------------------------------------------------------

  private takeFault(target: Exclude<FaultTarget, 'any'>): FakeMastodonFault | undefined {
    const index = this.faults.findIndex((entry) => entry.target === 'any' || entry.target === target);
    if (index >= 0) return this.faults.splice(index, 1)[0]?.fault;
    const persistent = this.persistentFault;
    if (persistent && (persistent.target === 'any' || persistent.target === target)) return persistent.fault;
    return undefined;
  }

  /** The account a user token acts for (api() has already refused requests without one). */
  private userOf(token: FakeToken | undefined): FakeAccount {
    return this.accountById(token?.accountId ?? '');
  }

  private account(username: string): FakeAccount {
    const account = this.accounts.find((a) => a.username === username);
    if (!account) throw new Error(`the fake Mastodon has no account @${username}`);
    return account;
  }

  private accountById(id: string): FakeAccount {
    const account = this.accounts.find((a) => a.id === id);
    if (!account) throw new Error(`the fake Mastodon has no account ${id}`);
    return account;
  }

  private countStatuses(accountId: string): number {
    return this.stored.filter((s) => s.accountId === accountId).length;
  }

  /** Mastodon ids are snowflakes: milliseconds shifted left 16 bits plus a sequence. */
  private snowflake(): string {
    const ms = Math.max(this.now(), this.lastIdMs);
    this.idSequence = ms === this.lastIdMs ? this.idSequence + 1 : 0;
    this.lastIdMs = ms;
    return ((BigInt(ms) << 16n) | BigInt(this.idSequence & 0xffff)).toString();
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, ms).unref());
  }
}

function tokenBody(token: FakeToken) {
  return { access_token: token.token, token_type: 'Bearer', scope: token.scopes.join(' '), created_at: Math.floor(token.createdAt.getTime() / 1000) };
}

function basicCredentials(header: string | undefined): [string | undefined, string | undefined] {
  const encoded = /^Basic\s+(\S+)$/i.exec(header ?? '')?.[1];
  if (!encoded) return [undefined, undefined];
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return [undefined, undefined];
  return [decodeURIComponent(decoded.slice(0, colon)), decodeURIComponent(decoded.slice(colon + 1))];
}

function isAbsoluteRedirectUri(uri: string): boolean {
  if (uri === 'urn:ietf:wg:oauth:2.0:oob') return true;
  try {
    const parsed = new URL(uri);
    return parsed.hash === '' && parsed.protocol.length > 1;
  } catch {
    return false;
  }
}

function errorPage(message: string): string {
  return `<!DOCTYPE html><html><head><title>Fake Mastodon</title></head><body><div class="form-container"><h2>An error has occurred</h2><p>${message}</p></div></body></html>`;
}

/** Starts a fake Mastodon server on loopback (a free port unless `port` is given). */
export function startFakeMastodon(options: FakeMastodonOptions = {}): Promise<FakeMastodon> {
  return new FakeMastodon(options).start();
}
