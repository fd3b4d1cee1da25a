import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { MonitoredQueue } from '../data/bullmq-queues.js';
import type { QueueBoard } from '../use-cases/deps.js';
import { consolePath, paths } from '../views/paths.js';

/**
 * Bull Board's pages need inline styles (its bundle adds a <style> element) and data: images; they
 * load scripts from the monitor alone. The monitor's own pages get a stricter policy (pages.ts).
 */
export const boardPolicy =
  "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

/** Bull Board's page asks Google for its fonts; operators' browsers ask nobody but us (the system fonts serve). */
export function withoutRemoteFonts(page: string): string {
  return page.replace(/<link\b[^>]*\bhref="https:\/\/fonts\.(?:googleapis|gstatic)\.com[^"]*"[^>]*>\s*/g, '');
}

export interface QueueBoardPlugin extends QueueBoard {
  plugin: FastifyPluginAsync;
}

/** Bull Board at /admin/queues over the queues it is shown (`show`), with links to the dead letters and sign-out. */
export function createQueueBoard(): QueueBoardPlugin {
  const serverAdapter = new FastifyAdapter();
  serverAdapter.setBasePath(consolePath);
  const board = createBullBoard({
    queues: [],
    serverAdapter,
    options: {
      uiConfig: {
        boardTitle: 'Trendcast queues',
        miscLinks: [
          { text: 'Dead letters', url: paths.deadLetters },
          { text: 'Parked outbox rows', url: paths.outbox },
          { text: 'Sign out', url: paths.signOut },
        ],
        hideDocsLink: true,
      },
    },
  });
  // One adapter per queue handle: the board keeps its state (formatters, read-only flags) across refreshes.
  const adapters = new WeakMap<MonitoredQueue['queue'], BullMQAdapter>();
  const adapterOf = (monitored: MonitoredQueue): BullMQAdapter => {
    let adapter = adapters.get(monitored.queue);
    if (!adapter) {
      const underOtherPrefix = monitored.boardName !== monitored.address.name;
      adapter = new BullMQAdapter(monitored.queue, underOtherPrefix ? { prefix: `${monitored.address.prefix}:` } : {});
      adapters.set(monitored.queue, adapter);
    }
    return adapter;
  };
  const bullBoard = serverAdapter.registerPlugin();

  return {
    show(queues: readonly MonitoredQueue[]) {
      board.replaceQueues(queues.map(adapterOf));
    },
    plugin: async (app) => {
      app.addHook('onSend', async (request: FastifyRequest, reply: FastifyReply, payload: unknown) => {
        if (!reply.hasHeader('content-security-policy')) reply.header('content-security-policy', boardPolicy);
        if (!request.url.startsWith(`${consolePath}/static/`)) reply.header('cache-control', 'no-store');
        const html = String(reply.getHeader('content-type') ?? '').startsWith('text/html');
        return html && typeof payload === 'string' ? withoutRemoteFonts(payload) : payload;
      });
      await app.register(bullBoard);
    },
  };
}
