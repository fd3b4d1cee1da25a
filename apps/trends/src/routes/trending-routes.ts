import { HttpError, type FastifyPluginAsyncZod } from '@trendcast/service-kit';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import { countrySchema } from '../domain/geo.js';
import { GateWaitTimeout } from '../rate-limit/request-gate.js';
import { TrendingFeedError } from '../trending/parse-trending-rss.js';
import type { TrendingFeed } from '../trending/trending-feed.js';
import { getTrending } from '../use-cases/get-trending.js';

export interface TrendingRoutesOptions {
  feed: TrendingFeed;
  redis: Redis;
  keyPrefix: string;
  cacheTtlMs: number;
  now: () => Date;
}

export const trendingRoutes: FastifyPluginAsyncZod<TrendingRoutesOptions> = async (app, options) => {
  app.addHook('preHandler', app.authenticate);

  app.get('/trending', { schema: { querystring: z.strictObject({ geo: countrySchema.default('US') }) } }, async (request) => {
    try {
      return await getTrending(options, request.query.geo);
    } catch (error) {
      if (error instanceof TrendingFeedError) {
        throw new HttpError(502, 'GOOGLE_UNAVAILABLE', error.message, undefined, undefined, { cause: error });
      }
      if (error instanceof GateWaitTimeout) {
        throw new HttpError(503, 'GOOGLE_BUSY', 'Google Trends is being asked too often right now; try again shortly', undefined, {
          'retry-after': '30',
        });
      }
      throw error;
    }
  });
};
