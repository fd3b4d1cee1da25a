import type { Logger } from '@trendcast/core';
import type { DomainEvent, EventOrigin } from '@trendcast/events';
import type { UsersDatabase, UsersTransaction } from '../db/client.js';
import type { AccessTokenIssuer } from '../security/access-tokens.js';
import type { AttemptThrottle } from '../security/attempt-throttle.js';
import type { PasswordHasher } from '../security/password-hasher.js';

/**
 * Writes events to publish inside the transaction of the state change they announce.
 * Production passes the outbox's addToOutbox; tests wrap it to fail a transaction on purpose.
 */
export type RecordEvents = (tx: UsersTransaction, events: DomainEvent[]) => Promise<void>;

export interface UsersSettings {
  /** Base of the links in emails, e.g. https://trendcast.example (no trailing slash needed). */
  publicBaseUrl: string;
  verifyEmailTtlSeconds: number;
  passwordResetTtlSeconds: number;
  /** A refresh token unused for this long expires; each refresh starts the period again. */
  refreshTokenTtlSeconds: number;
  /** No session (refresh-token family) outlives this, however often it refreshes. */
  sessionMaxAgeSeconds: number;
  /** Least time between two verification or reset emails to one account. */
  emailCooldownSeconds: number;
}

/** Everything the use cases need, built once in the composition root (service.ts); each use case is `fn(deps, input)`. */
export interface UsersDeps {
  logger: Logger;
  db: UsersDatabase;
  hasher: PasswordHasher;
  accessTokens: AccessTokenIssuer;
  throttle: AttemptThrottle;
  recordEvents: RecordEvents;
  settings: UsersSettings;
}

/** Who asked: `event` for the events it causes (correlation), `ip` for throttling. */
export interface RequestOrigin {
  event: EventOrigin;
  ip: string;
}

/** The input of a use case a request (or the start-up) asks for, which the events it causes point back to. */
export interface Asked {
  origin: RequestOrigin;
}

export function secondsFrom(now: Date, seconds: number): Date {
  return new Date(now.getTime() + seconds * 1000);
}

export function linkTo(settings: UsersSettings, path: string, token: string): string {
  const url = new URL(path, settings.publicBaseUrl.endsWith('/') ? settings.publicBaseUrl : `${settings.publicBaseUrl}/`);
  url.searchParams.set('token', token);
  return url.toString();
}
