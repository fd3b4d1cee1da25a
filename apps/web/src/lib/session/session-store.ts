import { backoffDelay } from '@trendcast/core';
import { isApiError } from '../api/errors.js';
import { setAuthProvider } from '../api/http.js';
import { usersApi, type Account, type BrowserSessionAnswer } from '../api/users.js';

export type SessionState =
  | { status: 'restoring' }
  | { status: 'signed-out'; notice?: string }
  | { status: 'signed-in'; user: Account };

/** Renew this long before the access token expires (or a fifth of its life, when shorter). */
const renewAheadMs = 60_000;
/** A token closer than this to its end is renewed before use. */
const freshnessMs = 15_000;
const lockName = 'trendcast-session-refresh';
const channelName = 'trendcast-session';

type Message = { type: 'signed-in' } | { type: 'signed-out' };

/**
 * The browser's session. The access token lives in this object only (never in storage or a cookie
 * a script can read); the refresh token is the users service's httpOnly cookie. Tokens are renewed
 * shortly before they expire, one tab at a time (a refresh token spent twice ends the session).
 */
export class SessionStore {
  #state: SessionState = { status: 'restoring' };
  #listeners = new Set<() => void>();
  #accessToken: string | undefined;
  #expiresAt = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #renewing: Promise<boolean> | undefined;
  #restoring: Promise<void> | undefined;
  #failures = 0;
  #channel: BroadcastChannel | undefined;

  private readonly now: () => number;

  /** `crossTab: false` keeps this store from hearing or telling other tabs (tests run several stores in one page). */
  constructor(o: { now?: () => number; crossTab?: boolean } = {}) {
    this.now = o.now ?? (() => Date.now());
    if ((o.crossTab ?? true) && typeof BroadcastChannel !== 'undefined') {
      this.#channel = new BroadcastChannel(channelName);
      this.#channel.onmessage = (event: MessageEvent<Message>) => this.#onMessage(event.data);
    }
    if (typeof document !== 'undefined') {
      // Timers sleep with the tab; on return, renew at once if the token is about to lapse.
      document.addEventListener('visibilitychange', () => {
        if (document.visibilityState === 'visible' && this.#state.status === 'signed-in' && this.#expiresAt - this.now() < renewAheadMs) {
          void this.renew();
        }
      });
    }
  }

  getState = (): SessionState => this.#state;

  subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  };

  /** At start: a cookie from an earlier visit may still hold a session. Runs once. */
  restore(): Promise<void> {
    this.#restoring ??= this.renew().then(() => undefined);
    return this.#restoring;
  }

  async signIn(email: string, password: string): Promise<Account> {
    const answer = await usersApi.openBrowserSession(email, password);
    this.#accept(answer);
    this.#post({ type: 'signed-in' });
    return answer.user;
  }

  /** Ends the session on the server too (the refresh token is revoked and its cookie cleared). */
  async signOut(notice?: string): Promise<void> {
    try {
      await usersApi.endBrowserSession();
    } finally {
      this.#forget(notice);
      this.#post({ type: 'signed-out' });
    }
  }

  /** After the account is deleted: the server already ended every session. */
  forget(notice?: string): void {
    this.#forget(notice);
    this.#post({ type: 'signed-out' });
  }

  updateUser(user: Account): void {
    if (this.#state.status === 'signed-in') this.#set({ status: 'signed-in', user });
  }

  /** A current access token, renewed first when close to expiry; undefined when signed out. */
  async accessToken(): Promise<string | undefined> {
    if (this.#state.status === 'restoring') await this.restore();
    if (this.#accessToken && this.#expiresAt - this.now() < freshnessMs) await this.renew();
    return this.#accessToken;
  }

  /** Trades the refresh cookie for a new access token (and a rotated cookie). True when signed in afterwards. */
  renew(): Promise<boolean> {
    this.#renewing ??= this.#serialized(() => this.#callRefresh()).finally(() => {
      this.#renewing = undefined;
    });
    return this.#renewing;
  }

  async #callRefresh(): Promise<boolean> {
    try {
      this.#accept(await usersApi.refreshBrowserSession());
      this.#failures = 0;
      return true;
    } catch (error) {
      if (isApiError(error) && (error.status === 401 || error.status === 403)) {
        const wasSignedIn = this.#state.status === 'signed-in';
        this.#forget(wasSignedIn ? 'Your session has ended. Sign in again to continue.' : undefined);
        return false;
      }
      // The network or the service failed: keep the session and try again soon.
      this.#failures += 1;
      if (this.#state.status === 'restoring') this.#set({ status: 'signed-out', notice: 'Trendcast could not be reached. Reload the page to try again.' });
      else this.#schedule(backoffDelay(this.#failures, { baseMs: 2_000, maxMs: 60_000 }));
      return this.#accessToken !== undefined && this.#expiresAt > this.now();
    }
  }

  /** One refresh at a time across this browser's tabs: a refresh token spent twice would end the session. */
  #serialized<T>(work: () => Promise<T>): Promise<T> {
    const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined;
    return locks ? (locks.request(lockName, work) as unknown as Promise<T>) : work();
  }

  #accept(answer: BrowserSessionAnswer): void {
    this.#accessToken = answer.accessToken;
    this.#expiresAt = this.now() + answer.expiresIn * 1000;
    const lifeMs = answer.expiresIn * 1000;
    this.#schedule(lifeMs - Math.min(renewAheadMs, lifeMs / 5));
    this.#set({ status: 'signed-in', user: answer.user });
  }

  #schedule(delayMs: number): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.renew(), Math.max(0, delayMs));
  }

  #forget(notice?: string): void {
    clearTimeout(this.#timer);
    this.#accessToken = undefined;
    this.#expiresAt = 0;
    this.#set(notice ? { status: 'signed-out', notice } : { status: 'signed-out' });
  }

  #onMessage(message: Message): void {
    if (message.type === 'signed-out' && this.#state.status === 'signed-in') this.#forget('You signed out in another tab.');
    if (message.type === 'signed-in' && this.#state.status !== 'signed-in') void this.renew();
  }

  #post(message: Message): void {
    this.#channel?.postMessage(message);
  }

  #set(state: SessionState): void {
    this.#state = state;
    for (const listener of this.#listeners) listener();
  }
}

export const session = new SessionStore();
setAuthProvider({ accessToken: () => session.accessToken(), renew: () => session.renew() });
