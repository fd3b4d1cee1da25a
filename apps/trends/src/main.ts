/** Load config → create the service → run it until SIGTERM/SIGINT (see service.ts for the wiring). */
import { serve } from '@trendcast/service-kit';
import { loadTrendsConfig } from './config.js';
import { createTrendsService } from './service.js';

await serve(await createTrendsService(loadTrendsConfig()));
