import { z } from 'zod';

/** Who signed in to the console, and until when; what the session store keeps. */
export const sessionSchema = z.strictObject({
  userId: z.uuid(),
  role: z.literal('admin'),
  createdAt: z.iso.datetime(),
  expiresAt: z.iso.datetime(),
});
export type Session = z.output<typeof sessionSchema>;

export function newSession(o: { userId: string; now: Date; ttlSeconds: number }): Session {
  return {
    userId: o.userId,
    role: 'admin',
    createdAt: o.now.toISOString(),
    expiresAt: new Date(o.now.getTime() + o.ttlSeconds * 1000).toISOString(),
  };
}

export function isExpired(session: Session, now: Date): boolean {
  return Date.parse(session.expiresAt) <= now.getTime();
}
