import type { FastifyPluginAsyncZod } from '@trendcast/service-kit';
import { z } from 'zod';
import { countrySchema } from '../domain/geo.js';
import type { TrendsDeps } from '../use-cases/deps.js';
import { trendingResponse } from './responses.js';
import { getTrending } from '../use-cases/get-trending.js';

export const trendingRoutes: FastifyPluginAsyncZod<{ deps: TrendsDeps }> = async (app, { deps }) => {
  app.addHook('preHandler', app.authenticate);

  app.get('/trending', { schema: { querystring: z.strictObject({ geo: countrySchema.default('US') }), response: { 200: trendingResponse } } }, async (request) =>
    getTrending(deps, { geo: request.query.geo }),
  );
};
