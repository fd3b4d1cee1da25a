import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { bundleBudget } from './build/bundle-budget.js';

/** The sign-in page's first load (entry + its route chunk + what they import), gzipped. */
const signInBudgetBytes = 150 * 1024;

export default defineConfig({
  plugins: [
    react(),
    bundleBudget({
      page: 'src/pages/auth/SignInPage.tsx',
      label: 'the sign-in page',
      budgetBytes: signInBudgetBytes,
      // The chart library belongs to the search results page alone.
      forbidden: [/node_modules\/uplot\//],
    }),
  ],
  build: {
    target: 'es2022',
    sourcemap: true,
    // Our own report prints every chunk gzipped; Vite's would repeat it.
    reportCompressedSize: false,
    assetsInlineLimit: 0,
  },
  server: {
    // `npm run dev` talks to a gateway running locally (npm run start:local), the same /api/* as in production.
    proxy: { '/api': { target: process.env.TRENDCAST_GATEWAY ?? 'http://127.0.0.1:8080', changeOrigin: false } },
  },
});
