import type { UsersDatabase } from '../db/client.js';
import { AttemptLedger, type Reservation } from './attempt-reservations.js';

export type { Reservation } from './attempt-reservations.js';

export interface ThrottleSettings {
  /** Failed sign-ins for one email within the window before it is refused. */
  maxFailuresPerAccount: number;
  /** Failed sign-ins from one client address within the window before it is refused. */
  maxFailuresPerIp: number;
  /** "Email already registered" answers to one client address within the window, against enumeration. */
  maxEmailTakenPerIp: number;
  windowSeconds: number;
}

/**
 * Sliding-window throttling of password checks and of "email taken" answers, kept in PostgreSQL
 * (one row per attempt and scope), by the database's clock, so every instance agrees.
 *
 * An attempt is reserved before the password is checked and counts as a failure unless released,
 * so concurrent requests cannot all slip past the limit. Refused attempts are not recorded: a
 * lockout ends at most one window after the last real failure, which bounds how long someone
 * else's guessing can lock an account.
 */
export class AttemptThrottle {
  private readonly ledger: AttemptLedger;

  constructor(
    db: UsersDatabase,
    private readonly settings: ThrottleSettings,
  ) {
    this.ledger = new AttemptLedger(db, settings.windowSeconds);
  }

  /**
   * Reserves one password check for this email from this address (sign-in and re-authentication).
   * Keep the reservation when the password was wrong; release it when it was right.
   */
  reservePasswordCheck(account: { email: string; ip: string }): Promise<Reservation> {
    return this.ledger.reserve([
      { scope: 'login:account', key: account.email, max: this.settings.maxFailuresPerAccount },
      { scope: 'login:ip', key: account.ip, max: this.settings.maxFailuresPerIp },
    ]);
  }

  /** A successful sign-in forgives the account's failures (not the address's: one good account must not unlock guessing). */
  loginSucceeded(email: string): Promise<void> {
    return this.ledger.forget('login:account', email);
  }

  /** Seconds until this address may register again (it got too many "email taken" answers); reserves nothing. */
  registrationRetryAfter(ip: string): Promise<number | undefined> {
    return this.ledger.retryAfter([{ scope: 'register:ip', key: ip, max: this.settings.maxEmailTakenPerIp }]);
  }

  /** Reserves one "email taken" answer for this address; refused when it has had its share. */
  reserveEmailTaken(ip: string): Promise<Reservation> {
    return this.ledger.reserve([{ scope: 'register:ip', key: ip, max: this.settings.maxEmailTakenPerIp }]);
  }
}
