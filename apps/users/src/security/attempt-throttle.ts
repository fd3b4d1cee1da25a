import { deleteFailures, insertFailures, secondsUntilBelow, type FailureScope } from '../data/auth-failures.js';
import type { UsersDatabase } from '../db/client.js';

export interface ThrottleSettings {
  /** Failed sign-ins for one email within the window before it is refused. */
  maxFailuresPerAccount: number;
  /** Failed sign-ins from one client address within the window before it is refused. */
  maxFailuresPerIp: number;
  /** "Email already registered" answers to one client address within the window, against enumeration. */
  maxEmailTakenPerIp: number;
  windowSeconds: number;
}

interface Limit {
  scope: FailureScope;
  key: string;
  max: number;
}

/**
 * Sliding-window throttling of failed attempts, kept in PostgreSQL: one row per failure and scope,
 * counted over the last `windowSeconds`. Time is the database's clock, so every instance agrees.
 *
 * Attempts refused while throttled are not recorded: a lockout ends at most one window after the
 * last real failure, which bounds how long someone else's guessing can lock an account.
 */
export class AttemptThrottle {
  constructor(
    private readonly db: UsersDatabase,
    private readonly settings: ThrottleSettings,
  ) {}

  /** Seconds until a sign-in for this email from this address is allowed again; undefined when it is. */
  loginRetryAfter(account: { email: string; ip: string }): Promise<number | undefined> {
    return this.retryAfter([
      { scope: 'login:account', key: account.email, max: this.settings.maxFailuresPerAccount },
      { scope: 'login:ip', key: account.ip, max: this.settings.maxFailuresPerIp },
    ]);
  }

  recordLoginFailure(account: { email: string; ip: string }): Promise<void> {
    return this.record([
      { scope: 'login:account', key: account.email },
      { scope: 'login:ip', key: account.ip },
    ]);
  }

  /** A successful sign-in forgives the account's failures (not the address's: one good account must not unlock guessing). */
  async loginSucceeded(email: string): Promise<void> {
    await deleteFailures(this.db, { scope: 'login:account', key: email });
  }

  registrationRetryAfter(ip: string): Promise<number | undefined> {
    return this.retryAfter([{ scope: 'register:ip', key: ip, max: this.settings.maxEmailTakenPerIp }]);
  }

  recordEmailTaken(ip: string): Promise<void> {
    return this.record([{ scope: 'register:ip', key: ip }]);
  }

  private async retryAfter(limits: Limit[]): Promise<number | undefined> {
    const waits = await Promise.all(limits.map((limit) => this.waitFor(limit)));
    const longest = Math.max(...waits.map((wait) => wait ?? 0));
    return longest > 0 ? longest : undefined;
  }

  /**
   * With `max` or more failures in the window, the wait is until the max-th most recent one
   * leaves the window, when the count drops below `max` again.
   */
  private waitFor({ scope, key, max }: Limit): Promise<number | undefined> {
    return secondsUntilBelow(this.db, { scope, key, max, windowSeconds: this.settings.windowSeconds });
  }

  private record(failures: Array<Omit<Limit, 'max'>>): Promise<void> {
    return insertFailures(this.db, failures, this.settings.windowSeconds);
  }
}
