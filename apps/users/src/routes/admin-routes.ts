import { requireRole, type FastifyPluginAsyncZod } from '@trendcast/service-kit';
import { encodeCursor } from '../http/cursor.js';
import { changeRoleBody, listUsersQuery, userIdParams } from '../http/schemas.js';
import { changeRole, listAccounts } from '../use-cases/admin.js';
import type { UsersContext } from '../use-cases/context.js';

export const adminRoutes: FastifyPluginAsyncZod<{ ctx: UsersContext }> = async (app, { ctx }) => {
  app.addHook('preHandler', requireRole('admin'));

  app.get('/', { schema: { querystring: listUsersQuery } }, async (request) => {
    const page = await listAccounts(ctx, request.user.id, { limit: request.query.limit, after: request.query.cursor });
    return { items: page.items, nextCursor: page.nextCursor ? encodeCursor(page.nextCursor) : null };
  });

  app.patch('/:id/role', { schema: { params: userIdParams, body: changeRoleBody } }, async (request) =>
    changeRole(ctx, request.user.id, request.params.id, request.body.role),
  );
};
