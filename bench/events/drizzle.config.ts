import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'postgresql',
  schema: './bench/events/schema.ts',
  out: './bench/events/drizzle',
});
