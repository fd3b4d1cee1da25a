import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import type { FastifyPluginAsyncZod } from '@trendcast/service-kit';
import type { MonitorDeps } from '../use-cases/deps.js';
import { consoleAccess, type AccessRules } from './access.js';
import { assetRoutes } from './assets.js';
import { deadLetterRoutes } from './dead-letter-routes.js';
import { parkedOutboxRoutes } from './parked-outbox-routes.js';
import type { QueueBoardPlugin } from './queue-board.js';
import type { SessionCookieSettings } from './session-cookie.js';
import { sessionRoutes } from './session-routes.js';

export interface ConsoleOptions {
  deps: MonitorDeps;
  board: QueueBoardPlugin;
  access: AccessRules;
  cookie: SessionCookieSettings & { secret: string };
  assetsDir: string;
}

/**
 * Everything under /admin/queues: the access check first (nothing is read about queues before it
 * passes), then the sign-in pages, the dead letters and Bull Board.
 */
export const consolePlugin: FastifyPluginAsyncZod<ConsoleOptions> = async (app, o) => {
  await app.register(cookie, { secret: o.cookie.secret });
  // The dead-letter pages' forms post urlencoded fields.
  await app.register(formbody);
  app.decorateRequest('consoleSession', null);
  app.addHook('onRequest', consoleAccess(o.deps, o.access));
  app.addHook('onSend', async (_request, reply) => {
    // Browsers send `Origin: null` on a form's POST (and a script's PUT) when the page's policy is
    // no-referrer, and the access check would refuse it: within the console the origin is ours to see.
    reply.header('referrer-policy', 'same-origin');
    reply.header('x-frame-options', 'DENY');
    reply.header('x-content-type-options', 'nosniff');
  });

  await app.register(assetRoutes, { dir: o.assetsDir, files: ['sign-in.js', 'console.css'] });
  await app.register(sessionRoutes, { deps: o.deps, cookie: o.cookie });
  await app.register(deadLetterRoutes, { deps: o.deps });
  await app.register(parkedOutboxRoutes, { deps: o.deps });
  await app.register(o.board.plugin);
};
