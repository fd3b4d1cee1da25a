import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Component tests talk to real PostgreSQL, Redis and RabbitMQ and wait for scheduled jobs.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
