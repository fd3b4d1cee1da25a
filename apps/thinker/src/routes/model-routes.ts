import { type FastifyPluginAsyncZod } from '@trendcast/service-kit';
import { sentimentBodySchema } from '../domain/api-requests.js';
import type { ThinkerDeps } from '../use-cases/deps.js';
import { listModels } from '../use-cases/list-models.js';
import { scoreTexts } from '../use-cases/score-texts.js';
import { modelsResponse, sentimentBatchResponse } from './responses.js';

/** POST /thinker/sentiment and GET /thinker/models. */
export const modelRoutes: FastifyPluginAsyncZod<{ deps: ThinkerDeps }> = async (app, { deps }) => {
  app.addHook('preHandler', app.authenticate);

  app.post('/sentiment', { schema: { body: sentimentBodySchema, response: { 200: sentimentBatchResponse } } }, async (request) => ({
    results: await scoreTexts(deps, request.body.texts),
  }));

  app.get('/models', { schema: { response: { 200: modelsResponse } } }, async () => listModels({ ollama: deps.ollama, logger: deps.logger }));
};
