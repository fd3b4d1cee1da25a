import { and, eq, lt, sql } from 'drizzle-orm';
import type { UsersDatabase } from '../db/client.js';
import { authFailures } from '../db/schema.js';

export interface ThrottleSettings {
  /** Failed sign-ins for one email within the window before it is refused. */
  maxFailuresPerAccount: number;
  /** Failed sign-ins from one client address within the window before it is refused. */
  maxFailuresPerIp: number;
  /** "Email already registered" answers to one client address within the window, against enumeration. */
  maxEmailTakenPerIp: number;
  windowSeconds: number;
}

type Scope = 'login:account' | 'login:ip' | 'register:ip';

interface Limit {
  scope: Scope;
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
  private readonly window;

  constructor(
    private readonly db: UsersDatabase,
    private readonly settings: ThrottleSettings,
  ) {
    this.window = sql`make_interval(secs => ${settings.windowSeconds})`;
  }

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
    await this.db.delete(authFailures).where(and(eq(authFailures.scope, 'login:account'), eq(authFailures.key, email)));
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
  private async waitFor({ scope, key, max }: Limit): Promise<number | undefined> {
    const [row] = await this.db
      .select({ wait: sql<number>`extract(epoch from (${authFailures.failedAt} + ${this.window} - now()))::float8` })
      .from(authFailures)
      .where(
        and(eq(authFailures.scope, scope), eq(authFailures.key, key), sql`${authFailures.failedAt} > now() - ${this.window}`),
      )
      .orderBy(sql`${authFailures.failedAt} desc`)
      .offset(max - 1)
      .limit(1);
    return row ? Math.max(1, Math.ceil(row.wait)) : undefined;
  }

  private async record(failures: Array<Omit<Limit, 'max'>>): Promise<void> {
    await this.db.insert(authFailures).values(failures);
    // Keeps the table as small as the window: older rows can no longer count.
    await this.db.delete(authFailures).where(lt(authFailures.failedAt, sql`now() - ${this.window}`));
  }
}
