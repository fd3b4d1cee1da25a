import { describeError } from '@trendcast/core';
import { fitToLimit, type ChannelLimit } from '@trendcast/post-text';
import { allowedReferences, checkDraft, type CheckContext, type RejectionReason } from '../domain/draft-checks.js';
import { GenerationCancelledError } from '../domain/generation-errors.js';
import type { GenerationRequest } from '../domain/generation-request.js';
import { buildDraftPrompt, lengthFeedback, type ChatMessage } from '../domain/prompt.js';
import { retrying, type RetryDeps } from './generation-policy.js';
import type { DraftWriter } from './ports.js';

export interface KeptDraft {
  text: string;
  /** Cut to the limit by us after the model's rewrite was still too long. */
  shortened: boolean;
}

export interface Rejection {
  reason: RejectionReason;
  detail: string;
}

/** Every round's drafts broke a rule; `rejections` says which and why. */
export class DraftsRejectedError extends Error {
  override readonly name = 'DraftsRejectedError';

  constructor(
    readonly rejections: readonly Rejection[],
    readonly rounds: number,
  ) {
    super(`drafts rejected in ${rounds} round${rounds === 1 ? '' : 's'}`);
  }
}

/**
 * Drafts from the model that pass every check. Each round asks for the drafts still missing; drafts
 * that are only too long are sent back once (in the whole generation) with their overrun stated, and
 * whatever is still too long is cut at a sentence or word boundary. Drafts that break another rule
 * are discarded and written again next round, up to `policy.maxRounds`; then DraftsRejectedError.
 */
export async function draftsFromModel(
  writer: DraftWriter,
  request: GenerationRequest,
  limit: ChannelLimit,
  deps: RetryDeps,
  signal?: AbortSignal,
): Promise<KeptDraft[]> {
  const allowed = allowedReferences(request.source);
  const kept: KeptDraft[] = [];
  const rejections: Rejection[] = [];
  let variation = 0;
  let reasked = false;
  const ask = (messages: readonly ChatMessage[], count: number) =>
    retrying('writing drafts', () => writer.writeDrafts({ messages, count, variation: variation++ }, signal), deps, signal);

  let round = 0;
  while (kept.length < request.count && round < deps.policy.maxRounds) {
    round += 1;
    const prompt = buildDraftPrompt(request, limit, { count: request.count - kept.length, rejected: rejections.map((r) => r.reason) });
    const context = (): CheckContext => ({ limit, instructions: prompt.instructions, allowed, kept: kept.map((draft) => draft.text) });
    const reject = (reason: RejectionReason, detail: string) => {
      rejections.push({ reason, detail });
      deps.logger.warn({ round, reason, detail }, 'a draft was rejected');
    };

    const tooLong: string[] = [];
    for (const text of await ask(prompt.messages, request.count - kept.length)) {
      const verdict = checkDraft(text, context());
      if (verdict.ok) kept.push({ text: verdict.text, shortened: false });
      else if (verdict.reason === 'too-long') tooLong.push(verdict.text);
      else reject(verdict.reason, verdict.detail);
    }
    if (tooLong.length === 0) continue;

    let candidates = tooLong;
    if (!reasked) {
      reasked = true;
      const overruns = tooLong.map((text, i) => ({ position: i + 1, length: checkDraft(text, context()).length }));
      try {
        candidates = await ask(
          [
            ...prompt.messages,
            { role: 'assistant', content: JSON.stringify({ drafts: tooLong.map((text) => ({ text })) }) },
            { role: 'user', content: lengthFeedback(overruns, limit) },
          ],
          tooLong.length,
        );
      } catch (error) {
        // The originals are sound apart from their length: cutting them beats losing them.
        if (error instanceof GenerationCancelledError) throw error;
        deps.logger.warn({ error: describeError(error) }, 'asking for shorter drafts failed; cutting them to the limit');
      }
    }
    for (const text of candidates) {
      const verdict = checkDraft(text, context());
      if (verdict.ok) {
        kept.push({ text: verdict.text, shortened: false });
        continue;
      }
      if (verdict.reason !== 'too-long') {
        reject(verdict.reason, verdict.detail);
        continue;
      }
      const cut = fitToLimit(verdict.text, limit.maxCharacters, limit.rules).text;
      const again = checkDraft(cut, context());
      if (again.ok) kept.push({ text: again.text, shortened: true });
      else reject(again.reason, again.reason === 'too-long' ? 'nothing fits the limit without cutting a word or link' : again.detail);
    }
  }
  if (kept.length < request.count) throw new DraftsRejectedError(rejections, round);
  return kept.slice(0, request.count);
}
