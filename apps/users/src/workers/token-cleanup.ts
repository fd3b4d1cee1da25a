import type { Logger } from '@trendcast/core';
import { deleteExpiredTokens } from '../data/expired-tokens.js';
import type { UsersDatabase } from '../db/client.js';

/** Deletes expired tokens now and then every `intervalMs`; returns the stop function. */
export function startTokenCleanup(db: UsersDatabase, logger: Logger, intervalMs = 60 * 60_000): () => Promise<void> {
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
