import { defineConfig } from 'vitest/config';

export default defineConfig({
  // The shutdown test starts a real child process through tsx, which takes a few seconds on a busy machine.
  test: { include: ['src/**/*.test.ts', 'test/**/*.test.ts'], testTimeout: 30_000, hookTimeout: 30_000 },
});
