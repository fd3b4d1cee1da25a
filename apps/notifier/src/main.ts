/** Load config → create the service → run it until SIGTERM/SIGINT (see service.ts for the wiring). */
import { serve } from '@trendcast/service-kit';
import { loadNotifierConfig } from './config.js';
import { createNotifierService } from './service.js';

await serve(await createNotifierService(loadNotifierConfig()));
