import { pageOf, type PagePosition } from '@trendcast/service-kit';
import { countPostText, limitFor } from '@trendcast/post-text';
import type { EventOrigin } from '@trendcast/events';
import { approveDraft as storeApproval, findUsersDraft, listUsersDrafts, lockUsersDraft, setDraftStatus, updateDraftText } from '../data/drafts.js';
import type { ThinkerTransaction } from '../db/client.js';
import type { DraftRow, DraftStatus } from '../db/schema.js';
import { assertApprovable } from '../domain/approval.js';
import { thinkerError } from '../domain/errors.js';
import type { SentimentLabel } from '../sentiment/sentiment-scorer.js';
import type { ThinkerDeps } from './deps.js';
import { scoreTexts } from './score-texts.js';
import { guardUserWrites } from './user-writes.js';

type Owned = { userId: string; draftId: string };

export async function listDrafts(
  deps: Pick<ThinkerDeps, 'db'>,
  input: {
    userId: string;
    generationId?: string | undefined;
    status?: DraftStatus | undefined;
    sentiment?: SentimentLabel | undefined;
    limit: number;
    after?: PagePosition | undefined;
  },
): Promise<{ items: DraftRow[]; nextCursor: string | null }> {
  return pageOf(await listUsersDrafts(deps.db, { ...input, limit: input.limit + 1 }), input.limit, (draft) => ({ at: draft.createdAt, id: draft.id }));
}

export async function getDraft(deps: Pick<ThinkerDeps, 'db'>, input: Owned): Promise<DraftRow> {
  const draft = await findUsersDraft(deps.db, input);
  if (!draft) throw notFound();
  return draft;
}

/** New text for a draft still in `draft`, scored again; it must fit its channel. */
export async function editDraft(deps: Pick<ThinkerDeps, 'db' | 'sentiment' | 'logger' | 'now'>, input: Owned & { text: string }): Promise<DraftRow> {
  const current = await getDraft(deps, input);
  const limit = limitFor(current.channel);
  const length = countPostText(input.text, limit.rules);
  if (length > limit.maxCharacters) {
    throw thinkerError('DRAFT_TOO_LONG', { message: `The text counts ${length} characters; ${current.channel} allows ${limit.maxCharacters}`, details: { length, limit: limit.maxCharacters } });
  }
  // Scored before the transaction: a slow scorer holds no lock.
  const [sentiment] = await scoreTexts(deps, [input.text]);
  if (!sentiment) throw new Error('the scorer returned no result');
  return inDraftTransaction(deps, input, (tx, draft) => updateDraftText(tx, draft.id, input.text, sentiment, deps.now()));
}

/**
 * Approves a draft for publishing on a channel, now or at `publishAt`, and adds
 * thinker.draft.approved in the same transaction. A draft scored negative beyond the threshold
 * needs `override`.
 */
export async function approveDraft(
  deps: Pick<ThinkerDeps, 'db' | 'settings' | 'now'>,
  input: Owned & { channelId: string; publishAt?: Date | undefined; override: boolean; origin: EventOrigin },
): Promise<DraftRow> {
  return inDraftTransaction(deps, input, (tx, draft) => {
    assertApprovable(draft, { threshold: deps.settings.approvalNegativeThreshold, override: input.override });
    const now = deps.now();
    return storeApproval(tx, draft, { channelId: input.channelId, publishAt: input.publishAt ?? now, now, origin: input.origin });
  });
}

export async function rejectDraft(deps: Pick<ThinkerDeps, 'db' | 'now'>, input: Owned): Promise<DraftRow> {
  return inDraftTransaction(deps, input, (tx, draft) => setDraftStatus(tx, draft.id, 'rejected', deps.now()));
}

/** Under the user's lock and the draft's row lock: the draft must be the user's and still a draft. */
async function inDraftTransaction(
  deps: Pick<ThinkerDeps, 'db'>,
  input: Owned,
  change: (tx: ThinkerTransaction, draft: DraftRow) => Promise<DraftRow>,
): Promise<DraftRow> {
  return deps.db.transaction(async (tx) => {
    await guardUserWrites(tx, input.userId);
    const draft = await lockUsersDraft(tx, input);
    if (!draft) throw notFound();
    if (draft.status !== 'draft') throw thinkerError('DRAFT_NOT_EDITABLE', { message: `The draft is ${draft.status}; only a draft can be changed`, details: { status: draft.status } });
    return change(tx, draft);
  });
}

function notFound() {
  return thinkerError('NOT_FOUND', { message: 'No such draft' });
}
