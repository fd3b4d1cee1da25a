import { ModelFailure } from '../../domain/model-failure.js';
import type { OllamaConnection } from './ollama-connection.js';
import { tagsResponseSchema } from './wire-schemas.js';

export interface OllamaModelInfo {
  name: string;
  family: string | undefined;
  parameterSize: string | undefined;
  sizeBytes: number | undefined;
}

/** The models pulled on the server (`/api/tags`). */
export async function listOllamaModels(connection: OllamaConnection, signal?: AbortSignal): Promise<OllamaModelInfo[]> {
  const raw = await connection.call('listing models', (client) => client.list(), signal);
  const parsed = tagsResponseSchema.safeParse(raw);
  if (!parsed.success) throw new ModelFailure('server', 'listing models: unexpected answer from /api/tags');
  return parsed.data.models.map((model) => ({
    name: model.name,
    family: model.details?.family,
    parameterSize: model.details?.parameter_size,
    sizeBytes: model.size,
  }));
}
