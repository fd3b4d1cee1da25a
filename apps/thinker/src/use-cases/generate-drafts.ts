import { describeError, type Logger } from '@trendcast/core';
import { limitFor, type ChannelLimit } from '@trendcast/post-text';
import { z } from 'zod';
import { allowedReferences, checkDraft, type RejectionReason } from '../domain/draft-checks.js';
import { GenerationCancelledError } from '../domain/generation-errors.js';
import {
  displayLanguage,
  generationRequestSchema,
  isEnglish,
  type GenerationRequest,
  type GenerationRequestInput,
} from '../domain/generation-request.js';
import { ModelFailure } from '../domain/model-failure.js';
import { offlineModelName, writeOfflineDrafts } from '../domain/offline-drafts.js';
import type { SentimentResult, SentimentScorer } from '../sentiment/sentiment-scorer.js';
import type { GenerationPolicy } from './generation-policy.js';
import { draftsFromModel, DraftsRejectedError, type KeptDraft, type Rejection } from './model-drafts.js';
import type { DraftWriter } from './ports.js';
import { scoreDrafts, SentimentFailedError } from './score-drafts.js';

export interface GenerateDraftsDeps {
  /** The language model; absent when none is configured (OLLAMA_HOST empty): drafts are written offline. */
  writer?: DraftWriter | undefined;
  scorer: SentimentScorer;
  /** Used when `scorer` fails (e.g. the offline scorer behind the Ollama one). */
  fallbackScorer?: SentimentScorer | undefined;
  policy: GenerationPolicy;
  clock: () => Date;
  logger: Logger;
  /** Waits between retries; tests may pass one that does not wait. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  random?: () => number;
}

export interface GeneratedDraft {
  text: string;
  /** The model that wrote it, or "offline". */
  model: string;
  sentiment: SentimentResult;
  /** Cut to the channel limit by us (at a sentence or word boundary) because the model's rewrite was still too long. */
  shortened: boolean;
}

export type GenerationFailureCode =
  | 'INVALID_REQUEST'
  | 'MODEL_UNAVAILABLE'
  | 'MODEL_MISCONFIGURED'
  | 'DRAFTS_REJECTED'
  | 'LANGUAGE_UNSUPPORTED'
  | 'SENTIMENT_FAILED';

export type GenerationOutcome =
  | {
      status: 'completed';
      /** The model that wrote the drafts, or "offline". */
      model: string;
      drafts: GeneratedDraft[];
      /** Set when the model failed and the drafts were written offline instead: why. */
      fallbackReason?: string;
    }
  | { status: 'failed'; code: GenerationFailureCode; reason: string };

/** The longest reason a failure event may carry. */
const maxReasonLength = 1000;

/**
 * Writes `count` drafts for one channel from a Trends summary or a topic, each scored for sentiment.
 * With a model: its drafts, checked and regenerated per the policy; when it keeps failing
 * (unreachable, timeout, server errors, unusable output) the policy either writes them offline or
 * fails. A model that is not there or cannot chat fails the generation whatever the policy: a
 * configuration fault is not hidden behind offline drafts. Without a model: offline drafts.
 * Never throws for a failed generation (the outcome says why); throws GenerationCancelledError when
 * `signal` stops it.
 */
export async function generateDrafts(deps: GenerateDraftsDeps, input: GenerationRequestInput, signal?: AbortSignal): Promise<GenerationOutcome> {
  const parsed = generationRequestSchema.safeParse(input);
  if (!parsed.success) return failed('INVALID_REQUEST', `the request is invalid: ${z.prettifyError(parsed.error).replace(/\n/gu, '; ')}`);
  const request = parsed.data;
  const limit = limitFor(request.channel, request.instanceMaxCharacters);
  const started = deps.clock().getTime();
  const logger = deps.logger.child({ source: request.source.kind, count: request.count, tone: request.tone, channel: request.channel });

  let written: { model: string; drafts: KeptDraft[]; fallbackReason?: string };
  if (!deps.writer) {
    const offline = offlineDrafts(request, limit, undefined);
    if ('code' in offline) return offline;
    written = offline;
  } else {
    try {
      written = { model: deps.writer.model, drafts: await draftsFromModel(deps.writer, request, limit, { ...deps, logger }, signal) };
    } catch (error) {
      if (error instanceof GenerationCancelledError) throw error;
      if (error instanceof DraftsRejectedError) return failed('DRAFTS_REJECTED', rejectedReason(deps.writer.model, error));
      if (!(error instanceof ModelFailure)) throw error;
      if (!error.transient) return failed('MODEL_MISCONFIGURED', misconfiguredReason(deps.writer.model, error));
      const reason = `${deps.writer.model} failed after ${deps.policy.modelAttempts} attempt${deps.policy.modelAttempts === 1 ? '' : 's'}: ${error.message}`;
      if (deps.policy.onModelFailure === 'fail') return failed('MODEL_UNAVAILABLE', `The drafts could not be written: ${reason}`);
      logger.warn({ error: describeError(error) }, 'the model failed; writing the drafts offline');
      const offline = offlineDrafts(request, limit, reason);
      if ('code' in offline) return offline;
      written = offline;
    }
  }

  let sentiments: SentimentResult[];
  try {
    sentiments = await scoreDrafts(written.drafts.map((draft) => draft.text), { ...deps, logger }, signal);
  } catch (error) {
    if (error instanceof GenerationCancelledError) throw error;
    if (error instanceof SentimentFailedError) return failed('SENTIMENT_FAILED', `The drafts were written but could not be scored for sentiment: ${error.message}`);
    throw error;
  }

  const drafts = written.drafts.map((draft, i) => ({ ...draft, model: written.model, sentiment: sentiments[i] as SentimentResult }));
  logger.info({ model: written.model, drafts: drafts.length, fallback: written.fallbackReason !== undefined, durationMs: deps.clock().getTime() - started }, 'drafts generated');
  return { status: 'completed', model: written.model, drafts, ...(written.fallbackReason ? { fallbackReason: written.fallbackReason } : {}) };
}

/** Offline drafts, which speak English only: another language fails clearly rather than arrive in English. */
function offlineDrafts(
  request: GenerationRequest,
  limit: ChannelLimit,
  fallbackReason: string | undefined,
): { model: string; drafts: KeptDraft[]; fallbackReason?: string } | Extract<GenerationOutcome, { status: 'failed' }> {
  if (!isEnglish(request.language)) {
    const language = displayLanguage(request.language ?? '') ?? request.language;
    const why = fallbackReason ? `the language model is unavailable (${fallbackReason})` : 'no language model is configured';
    return failed('LANGUAGE_UNSUPPORTED', `Drafts in ${language} need the language model, and ${why}; the offline generator writes English only.`);
  }
  const allowed = allowedReferences(request.source);
  const drafts: KeptDraft[] = [];
  for (const text of writeOfflineDrafts({ source: request.source, count: request.count, tone: request.tone, limit, seed: request.seed })) {
    const verdict = checkDraft(text, { limit, instructions: '', allowed, kept: drafts.map((draft) => draft.text) });
    if (!verdict.ok) return failed('DRAFTS_REJECTED', `The offline generator wrote a draft that breaks the rules (${verdict.detail}).`);
    drafts.push({ text: verdict.text, shortened: false });
  }
  return { model: offlineModelName, drafts, ...(fallbackReason ? { fallbackReason } : {}) };
}

const rejectionNouns: Record<RejectionReason, [string, string]> = {
  empty: ['was empty', 'were empty'],
  'echoes-instructions': ['repeated its instructions', 'repeated its instructions'],
  'foreign-link': ['carried a link that was not in the request', 'carried links that were not in the request'],
  'foreign-handle': ['mentioned an account or address that was not in the request', 'mentioned accounts or addresses that were not in the request'],
  duplicate: ['repeated another draft', 'repeated other drafts'],
  'too-long': ['could not be shortened to the limit', 'could not be shortened to the limit'],
};

/** Which rules the drafts broke, counted; never the drafts' own text (it may carry what the rules keep out). */
function rejectedReason(model: string, error: DraftsRejectedError): string {
  const counts = new Map<RejectionReason, number>();
  for (const rejection of error.rejections as Rejection[]) counts.set(rejection.reason, (counts.get(rejection.reason) ?? 0) + 1);
  const parts = [...counts].map(([reason, n]) => `${n} ${n === 1 ? rejectionNouns[reason][0] : rejectionNouns[reason][1]}`);
  return `${model} kept writing drafts that break the rules, so none were kept after ${error.rounds} round${error.rounds === 1 ? '' : 's'}: ${parts.join(', ')}. The trend data or topic may contain text that steers the model; try again or rephrase the topic.`;
}

function misconfiguredReason(model: string, error: ModelFailure): string {
  if (error.kind === 'unknown-model') {
    return `The model "${model}" is not available on the Ollama server (${error.message}). Pull it there (ollama pull ${model}) or set OLLAMA_MODEL to a model the server has.`;
  }
  if (error.kind === 'unsupported') return `The model "${model}" cannot write drafts (${error.message}); set OLLAMA_MODEL to a chat model.`;
  return `Ollama refused the request for "${model}": ${error.message}`;
}

function failed(code: GenerationFailureCode, reason: string): Extract<GenerationOutcome, { status: 'failed' }> {
  return { status: 'failed', code, reason: reason.length > maxReasonLength ? `${reason.slice(0, maxReasonLength - 1)}…` : reason };
}
