import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Integration tests wait on real SMTP, Redis and RabbitMQ round trips and on retry backoff.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
