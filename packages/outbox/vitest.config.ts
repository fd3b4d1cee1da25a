import { defineConfig } from 'vitest/config';

export default defineConfig({
  // Tests spawn relays in child processes and push thousands of rows through real servers.
  test: { include: ['src/**/*.test.ts', 'test/**/*.test.ts'], testTimeout: 60_000, hookTimeout: 60_000 },
});
