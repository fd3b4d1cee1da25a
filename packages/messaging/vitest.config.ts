import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Integration tests wait on real broker round trips, retries with TTLs and reconnects.
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
