/** Load config → create the service → run it until SIGTERM/SIGINT (see service.ts for the wiring). */
import { serve } from '@trendcast/service-kit';
import { loadUsersConfig } from './config.js';
import { createUsersService } from './service.js';

await serve(await createUsersService(loadUsersConfig()));
