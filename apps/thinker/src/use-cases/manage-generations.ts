import { pageOf, type PagePosition } from '@trendcast/service-kit';
import { findUsersGeneration, listUsersGenerations } from '../data/generations.js';
import type { DraftRow, GenerationRow, GenerationStatus } from '../db/schema.js';
import type { ThinkerDeps } from './deps.js';

/** The user's own generations, newest first. */
export async function listGenerations(
  deps: Pick<ThinkerDeps, 'db'>,
  input: { userId: string; status?: GenerationStatus | undefined; limit: number; after?: PagePosition | undefined },
): Promise<{ items: GenerationRow[]; nextCursor: string | null }> {
  return pageOf(await listUsersGenerations(deps.db, { ...input, limit: input.limit + 1 }), input.limit, (generation) => ({ at: generation.createdAt, id: generation.id }));
}

/** One of the user's generations with its drafts; undefined when it does not exist or is someone else's. */
export async function getGeneration(
  deps: Pick<ThinkerDeps, 'db'>,
  input: { userId: string; generationId: string },
): Promise<{ generation: GenerationRow; drafts: DraftRow[] } | undefined> {
  return findUsersGeneration(deps.db, input);
}
