import { requireRole, type FastifyPluginAsyncZod } from '@trendcast/service-kit';
import { encodeCursor } from './cursor.js';
import { userPageResponse, userResponse } from './responses.js';
import { changeRoleBody, listUsersQuery, userIdParams } from './schemas.js';
import { changeRole, listAccounts } from '../use-cases/admin.js';
import type { UsersDeps } from '../use-cases/deps.js';

export const adminRoutes: FastifyPluginAsyncZod<{ deps: UsersDeps }> = async (app, { deps }) => {
  app.addHook('preHandler', requireRole('admin'));

  app.get('/', { schema: { querystring: listUsersQuery, response: { 200: userPageResponse } } }, async (request) => {
    const page = await listAccounts(deps, { actorId: request.user.id, limit: request.query.limit, after: request.query.cursor });
    return { items: page.items, nextCursor: page.nextCursor ? encodeCursor(page.nextCursor) : null };
  });

  app.patch('/:id/role', { schema: { params: userIdParams, body: changeRoleBody, response: { 200: userResponse } } }, async (request) =>
    changeRole(deps, { actorId: request.user.id, targetId: request.params.id, role: request.body.role }),
  );
};
