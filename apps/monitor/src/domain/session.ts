import { z } from 'zod';

/** Who signed in to the console, and until when; what the session store keeps. */
export const sessionSchema = z.strictObject({
  userId: z.uuid(),
  role: z.literal('admin'),
  createdAt: z.iso.datetime(),
  expiresAt: z.iso.datetime(),
  /**
   * The admin's access token from signing in, and when it expires: the console presents it to the
   * services it asks about their parked outbox rows (each checks the role itself). Short-lived; past
   * its expiry those calls need a new sign-in.
   */
  accessToken: z.string().min(1).max(8192).optional(),
  accessTokenExpiresAt: z.iso.datetime().optional(),
});
export type Session = z.output<typeof sessionSchema>;

export function newSession(o: { userId: string; now: Date; ttlSeconds: number; accessToken?: { token: string; expiresAt: Date } | undefined }): Session {
  return {
    userId: o.userId,
    role: 'admin',
    createdAt: o.now.toISOString(),
    expiresAt: new Date(o.now.getTime() + o.ttlSeconds * 1000).toISOString(),
    ...(o.accessToken ? { accessToken: o.accessToken.token, accessTokenExpiresAt: o.accessToken.expiresAt.toISOString() } : {}),
  };
}

/** The access token the session holds while it is still good (a few seconds to spare), or undefined. */
export function liveAccessToken(session: Session, now: Date): string | undefined {
  if (!session.accessToken || !session.accessTokenExpiresAt) return undefined;
  return Date.parse(session.accessTokenExpiresAt) - 5_000 > now.getTime() ? session.accessToken : undefined;
}

export function isExpired(session: Session, now: Date): boolean {
  return Date.parse(session.expiresAt) <= now.getTime();
}
