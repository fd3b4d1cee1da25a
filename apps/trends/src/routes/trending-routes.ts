import type { FastifyPluginAsyncZod } from '@trendcast/service-kit';
import { z } from 'zod';
import { countrySchema } from '../domain/geo.js';
import type { TrendsDeps } from '../use-cases/deps.js';
import { getTrending } from '../use-cases/get-trending.js';

export const trendingRoutes: FastifyPluginAsyncZod<{ deps: TrendsDeps }> = async (app, { deps }) => {
  app.addHook('preHandler', app.authenticate);

  app.get('/trending', { schema: { querystring: z.strictObject({ geo: countrySchema.default('US') }) } }, async (request) =>
    getTrending(deps, { geo: request.query.geo }),
  );
};
