import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Tests talk to the real PostgreSQL and RabbitMQ and hash passwords at production cost.
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
