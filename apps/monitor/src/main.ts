/** Load config → create the service → run it until SIGTERM/SIGINT (see service.ts for the wiring). */
import { serve } from '@trendcast/service-kit';
import { loadMonitorConfig } from './config.js';
import { createMonitorService } from './service.js';

await serve(await createMonitorService(loadMonitorConfig()));
