import { lt, sql } from 'drizzle-orm';
import type { UsersDatabase } from '../db/client.js';
import { oneTimeTokens, refreshTokens } from '../db/schema.js';

/** Expired tokens can no longer do anything; after a day of grace they are only clutter. */
export async function deleteExpiredTokens(db: UsersDatabase): Promise<{ refreshTokens: number; oneTimeTokens: number }> {
  const cutoff = sql`now() - interval '1 day'`;
  const refresh = await db.delete(refreshTokens).where(lt(refreshTokens.expiresAt, cutoff)).returning({ id: refreshTokens.id });
  const oneTime = await db.delete(oneTimeTokens).where(lt(oneTimeTokens.expiresAt, cutoff)).returning({ id: oneTimeTokens.id });
  return { refreshTokens: refresh.length, oneTimeTokens: oneTime.length };
}

interface CleanupLogger {
  info(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/** Runs the cleanup now and then every `intervalMs`; returns the stop function. */
export function startTokenCleanup(db: UsersDatabase, logger: CleanupLogger, intervalMs = 60 * 60_000): () => Promise<void> {
  let running: Promise<void> | undefined;
  const run = () => {
    running ??= deleteExpiredTokens(db)
      .then((deleted) => {
        if (deleted.refreshTokens + deleted.oneTimeTokens > 0) logger.info({ deleted }, 'expired tokens deleted');
      })
      .catch((err: unknown) => logger.error({ err }, 'expired token cleanup failed'))
      .finally(() => {
        running = undefined;
      });
  };
  run();
  const timer = setInterval(run, intervalMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
