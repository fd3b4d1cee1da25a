import { createEvent, defaultNotificationPreferences } from '@trendcast/events';
import { isUniqueViolation } from '../db/client.js';
import { insertOneTimeToken } from '../data/one-time-tokens.js';
import { findUserByEmail, insertUser } from '../data/users.js';
import { checkPasswordPolicy } from '../domain/password-policy.js';
import { toUserView, type UserView } from '../domain/user-view.js';
import { tooManyAttempts, usersError } from '../domain/errors.js';
import { generateOpaqueToken, hashOpaqueToken } from '../security/opaque-tokens.js';
import { linkTo, secondsFrom, type Asked, type RequestOrigin, type UsersDeps } from './deps.js';

export interface RegisterInput {
  /** Already normalised (trimmed, lower case). */
  email: string;
  password: string;
  displayName: string;
}

/**
 * Creates an unverified account and asks for its verification email: the account, the token
 * and both events commit together or not at all.
 */
export async function registerUser(deps: UsersDeps, { origin, ...input }: RegisterInput & Asked): Promise<UserView> {
  const problems = checkPasswordPolicy(input.password, { email: input.email, displayName: input.displayName });
  if (problems.length > 0) throw usersError('WEAK_PASSWORD', { details: { problems } });

  const wait = await deps.throttle.registrationRetryAfter(origin.ip);
  if (wait) throw tooManyAttempts(wait);
  if (await findUserByEmail(deps.db, input.email)) return emailTaken(deps, origin);

  const passwordHash = await deps.hasher.hash(input.password);
  const now = new Date();
  const token = generateOpaqueToken();
  const expiresAt = secondsFrom(now, deps.settings.verifyEmailTtlSeconds);
  try {
    const user = await deps.db.transaction(async (tx) => {
      const user = await insertUser(tx, {
        email: input.email,
        displayName: input.displayName,
        passwordHash,
        notificationPreferences: defaultNotificationPreferences,
        createdAt: now,
      });
      await insertOneTimeToken(tx, {
        userId: user.id,
        purpose: 'verify_email',
        tokenHash: hashOpaqueToken(token),
        createdAt: now,
        expiresAt,
      });
      const about = { userId: user.id, email: user.email, displayName: user.displayName };
      await deps.recordEvents(tx, [
        createEvent('users.user.registered', { ...about, notificationPreferences: user.notificationPreferences }, origin.event),
        createEvent(
          'users.email_verification.requested',
          { ...about, verifyUrl: linkTo(deps.settings, 'verify-email', token), expiresAt: expiresAt.toISOString() },
          origin.event,
        ),
      ]);
      return user;
    });
    return toUserView(user);
  } catch (error) {
    // Two registrations of one email at once: the unique index decides.
    if (isUniqueViolation(error, 'users_email_unique')) return emailTaken(deps, origin);
    throw error;
  }
}

/**
 * Answering "taken" tells the caller the email exists, so those answers are counted per address,
 * each reserved before it is given: parallel probes cannot all get one.
 */
async function emailTaken(deps: UsersDeps, origin: RequestOrigin): Promise<never> {
  const answer = await deps.throttle.reserveEmailTaken(origin.ip);
  if (!answer.granted) throw tooManyAttempts(answer.retryAfterSeconds);
  throw usersError('EMAIL_TAKEN');
}
