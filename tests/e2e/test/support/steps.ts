import { it } from 'vitest';
import type { PageWatcher } from './browser.js';

/**
 * A browser test's steps: `it` blocks that also fail on anything the page watcher saw go wrong,
 * and add the last lines of every process's log to a failure. The watcher and the logs are read
 * when a step runs (they exist only once the suite's beforeAll has started the stack).
 */
export function browserSteps(o: { watcher: () => PageWatcher; logs: () => string }) {
  return function step(name: string, run: () => Promise<void>, timeoutMs = 60_000): void {
    it(
      name,
      async () => {
        let failure: unknown;
        try {
          await run();
        } catch (error) {
          failure = error;
        }
        // Checked (and reset) even after a failure, so one step's leftovers never blame the next.
        try {
          o.watcher().check(name);
        } catch (error) {
          failure ??= error;
        }
        if (failure) throw new Error(`${String(failure instanceof Error ? failure.message : failure)}\n\n${o.logs()}`, { cause: failure });
      },
      timeoutMs,
    );
  };
}
