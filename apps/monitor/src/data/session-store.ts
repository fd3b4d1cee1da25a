import { createHash, randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { sessionSchema, type Session } from '../domain/session.js';

/** A new session's id: 256 random bits, the cookie's (signed) value. */
export const newSessionId = (): string => randomBytes(32).toString('base64url');

/**
 * Console sessions in Redis, each under the SHA-256 of its id (a copy of Redis holds no usable
 * cookie), expiring with the session, so signing out ends a session everywhere at once.
 */
export class SessionStore {
  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
  ) {}

  private key(sessionId: string): string {
    return `${this.keyPrefix}session:${createHash('sha256').update(sessionId).digest('hex')}`;
  }

  async save(sessionId: string, session: Session, ttlSeconds: number): Promise<void> {
    await this.redis.set(this.key(sessionId), JSON.stringify(session), 'EX', ttlSeconds, 'NX');
  }

  /** The session, or undefined when it is unknown, ended or unreadable. */
  async find(sessionId: string): Promise<Session | undefined> {
    const stored = await this.redis.get(this.key(sessionId));
    if (stored === null) return undefined;
    try {
      const parsed = sessionSchema.safeParse(JSON.parse(stored));
      return parsed.success ? parsed.data : undefined;
    } catch {
      return undefined;
    }
  }

  async remove(sessionId: string): Promise<void> {
    await this.redis.del(this.key(sessionId));
  }
}
