import { safeText, type FastifyPluginAsyncZod, pagePositionFrom, pageQueryShape } from '@trendcast/service-kit';
import { z } from 'zod';
import { parseTimelineHandle } from '../domain/timeline-rules.js';
import type { TweeterDeps } from '../use-cases/deps.js';
import { readTimeline } from '../use-cases/read-timeline.js';
import { notFound } from './common.js';
import { timelinePageResponse } from './responses.js';
import { timelineEntryView } from './views.js';

export interface TimelineRoutesOptions {
  deps: TweeterDeps;
}

/** Trendcast's public timeline: no token needed. */
export const timelineRoutes: FastifyPluginAsyncZod<TimelineRoutesOptions> = async (app, { deps }) => {
  const query = z.strictObject(pageQueryShape);

  app.get('/timeline', { schema: { querystring: query, response: { 200: timelinePageResponse } } }, async (request) => {
    const page = await readTimeline(deps, { limit: request.query.limit, after: pagePositionFrom(request.query.cursor) });
    if (!page) throw notFound('timeline');
    return { items: page.items.map(timelineEntryView), nextCursor: page.nextCursor };
  });

  app.get(
    '/timeline/:handle',
    { schema: { params: z.object({ handle: safeText().max(60) }), querystring: query, response: { 200: timelinePageResponse } } },
    async (request) => {
      const handle = parseTimelineHandle(request.params.handle);
      const page = await readTimeline(deps, { handle, limit: request.query.limit, after: pagePositionFrom(request.query.cursor) });
      if (!page) throw notFound('timeline');
      return { items: page.items.map(timelineEntryView), nextCursor: page.nextCursor };
    },
  );
};
