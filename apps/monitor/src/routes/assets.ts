import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyPluginAsync } from 'fastify';

const types: Record<string, string> = { js: 'text/javascript; charset=utf-8', css: 'text/css; charset=utf-8' };

/** The script and styles of the monitor's own pages, read once at start from `dir` (src/public, or dist/public when built). */
export const assetRoutes: FastifyPluginAsync<{ dir: string; files: readonly string[] }> = async (app, { dir, files }) => {
  for (const file of files) {
    const content = await readFile(join(dir, file));
    const type = types[file.split('.').pop() ?? ''] ?? 'application/octet-stream';
    app.get(`/assets/${file}`, async (_request, reply) =>
      // Revalidated every time: a new release's script replaces the old one at once.
      reply.type(type).header('cache-control', 'no-cache').header('x-content-type-options', 'nosniff').send(content),
    );
  }
};
