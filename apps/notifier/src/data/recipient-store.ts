import { notificationPreferencesSchema, type NotificationPreferences } from '@trendcast/events';
import type { Redis } from 'ioredis';
import { z } from 'zod';

export interface Recipient {
  userId: string;
  email: string;
  displayName: string;
  preferences: NotificationPreferences;
}

/** Which event a projection change comes from: changes apply in `occurredAt` order, whatever order they arrive in. */
export interface ChangeVersion {
  eventId: string;
  occurredAt: string;
}

export type RecipientLookup =
  | { status: 'known'; recipient: Recipient }
  /** Not heard of yet: the user's events may still be on their way. */
  | { status: 'unknown' }
  /** The user deleted their account: they get no mail, ever. */
  | { status: 'deleted' };

export type UpsertOutcome = 'applied' | 'stale' | 'deleted';
export type EraseOutcome = 'erased' | 'already-erased';

/**
 * Applies a change only when it is newer than what is stored: (occurredAt, eventId) must be
 * greater, so a redelivered event or an older one arriving late changes nothing. A tombstone
 * wins over everything, so a late `updated` cannot bring a deleted user back.
 * KEYS[1] recipient hash. ARGV: mode ('upsert'|'erase'), occurredAt (ms), eventId, email, displayName, preferences.
 */
const applyChangeScript = `
local key = KEYS[1]
local mode, at, eventId = ARGV[1], tonumber(ARGV[2]), ARGV[3]
if redis.call('HGET', key, 'deleted') == '1' then return 'deleted' end
if mode == 'erase' then
  redis.call('DEL', key)
  redis.call('HSET', key, 'deleted', '1', 'at', ARGV[2], 'eventId', eventId)
  return 'erased'
end
local storedAt = redis.call('HGET', key, 'at')
if storedAt then
  storedAt = tonumber(storedAt)
  local storedEventId = redis.call('HGET', key, 'eventId')
  if at < storedAt or (at == storedAt and eventId <= storedEventId) then return 'stale' end
end
redis.call('HSET', key, 'at', ARGV[2], 'eventId', eventId, 'email', ARGV[4], 'displayName', ARGV[5], 'preferences', ARGV[6])
return 'applied'
`;

const storedRecipientSchema = z.object({
  email: z.email().max(254),
  displayName: z.string().min(1).max(200),
  preferences: z.string().transform((json, ctx) => {
    try {
      return notificationPreferencesSchema.parse(JSON.parse(json));
    } catch {
      ctx.addIssue({ code: 'custom', message: 'stored preferences are not valid' });
      return z.NEVER;
    }
  }),
});

function timestampOf(version: ChangeVersion): string {
  const ms = Date.parse(version.occurredAt);
  if (Number.isNaN(ms)) throw new Error(`occurredAt "${version.occurredAt}" is not a date`);
  return String(ms);
}

/**
 * The notifier's own view of each person it may write to (address, name, preferences), built
 * from the users service's events and kept in Redis, so events that only name a user can be mailed.
 */
export class RecipientStore {
  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix = 'notifier:',
  ) {}

  private keyFor(userId: string): string {
    return `${this.keyPrefix}recipient:${userId}`;
  }

  async upsert(recipient: Recipient, version: ChangeVersion): Promise<UpsertOutcome> {
    return (await this.redis.eval(
      applyChangeScript,
      1,
      this.keyFor(recipient.userId),
      'upsert',
      timestampOf(version),
      version.eventId,
      recipient.email,
      recipient.displayName,
      JSON.stringify(recipient.preferences),
    )) as UpsertOutcome;
  }

  /** Forgets everything about the user but the fact that they are gone. */
  async erase(userId: string, version: ChangeVersion): Promise<EraseOutcome> {
    const outcome = await this.redis.eval(applyChangeScript, 1, this.keyFor(userId), 'erase', timestampOf(version), version.eventId);
    return outcome === 'erased' ? 'erased' : 'already-erased';
  }

  async lookup(userId: string): Promise<RecipientLookup> {
    const stored = await this.redis.hgetall(this.keyFor(userId));
    if (stored.deleted === '1') return { status: 'deleted' };
    if (stored.email === undefined) return { status: 'unknown' };
    const parsed = storedRecipientSchema.safeParse(stored);
    if (!parsed.success) throw new Error(`stored recipient ${userId} is not valid: ${parsed.error.message}`);
    return { status: 'known', recipient: { userId, ...parsed.data } };
  }
}
