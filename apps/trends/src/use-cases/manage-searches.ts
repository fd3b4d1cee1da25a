import { pageOf, type PagePosition } from '@trendcast/service-kit';
import { deleteUsersSearch, findUsersSearch, listUsersSearches } from '../data/searches.js';
import type { SearchResultRow, SearchRow, SearchStatus } from '../db/schema.js';
import type { TrendsDeps } from './deps.js';

export interface SearchPage {
  items: SearchRow[];
  nextCursor: string | null;
}

/** The user's own searches, newest first. */
export async function listSearches(
  deps: Pick<TrendsDeps, 'db'>,
  input: { userId: string; status?: SearchStatus | undefined; limit: number; after?: PagePosition | undefined },
): Promise<SearchPage> {
  // One extra row tells whether another page exists.
  const rows = await listUsersSearches(deps.db, { ...input, limit: input.limit + 1 });
  return pageOf(rows, input.limit, (search) => ({ at: search.createdAt, id: search.id }));
}

/** One of the user's searches with its result; undefined when it does not exist or is someone else's. */
export async function getSearch(
  deps: Pick<TrendsDeps, 'db'>,
  input: { userId: string; searchId: string },
): Promise<{ search: SearchRow; result: SearchResultRow | null } | undefined> {
  return findUsersSearch(deps.db, input);
}

/** Deletes one of the user's searches (and its result); a queued job finds it gone and stops. */
export async function deleteSearch(
  deps: Pick<TrendsDeps, 'db' | 'queue'>,
  input: { userId: string; searchId: string },
): Promise<boolean> {
  if (!(await deleteUsersSearch(deps.db, input))) return false;
  await deps.queue.removeSearchJob(input.searchId).catch(() => undefined);
  return true;
}
