import { countPostText, type ChannelLimit } from '@trendcast/post-text';
import type { DraftSource } from './generation-request.js';
import { referencesIn } from './references.js';
import { stripThinkBlocks } from './think-blocks.js';
import { normalizeForChecks, wordsOf } from './text-normalization.js';
import { looksLikeInjection } from './untrusted-data.js';

export type RejectionReason = 'empty' | 'echoes-instructions' | 'foreign-link' | 'foreign-handle' | 'duplicate' | 'too-long';

export interface CheckContext {
  limit: ChannelLimit;
  /** Our words in the prompt; a draft repeating a run of them is the model echoing its instructions. */
  instructions: string;
  /** Keys of the links, handles and addresses a draft may carry (see `allowedReferences`). */
  allowed: ReadonlySet<string>;
  /** Drafts already kept, which a new one must not repeat. */
  kept: readonly string[];
}

export type DraftVerdict =
  | { ok: true; text: string; length: number }
  | { ok: false; reason: RejectionReason; detail: string; text: string; length: number };

/** A run this long shared with the instructions is a copy, not a coincidence. */
const echoRunWords = 8;
const duplicateSimilarity = 0.8;

/**
 * Checks one draft, first failure wins: empty (nothing left once inline reasoning is removed), echoes
 * the instructions, carries a link/handle/address the request did not give, repeats a kept draft,
 * breaks the channel limit. A draft over the limit is otherwise sound: the caller may shorten it.
 */
export function checkDraft(raw: string, context: CheckContext): DraftVerdict {
  const text = stripThinkBlocks(raw).text.replace(/[ \t]+\n/gu, '\n').trim();
  const length = countPostText(text, context.limit.rules);
  const reject = (reason: RejectionReason, detail: string): DraftVerdict => ({ ok: false, reason, detail, text, length });

  if (wordsOf(text).length === 0) return reject('empty', 'no words');
  const echo = echoOf(text, context.instructions);
  if (echo) return reject('echoes-instructions', echo);
  for (const reference of referencesIn(text)) {
    if (context.allowed.has(reference.key)) continue;
    return reference.kind === 'link'
      ? reject('foreign-link', `link ${reference.text} is not in the request`)
      : reject('foreign-handle', `${reference.kind} ${reference.text} is not in the request`);
  }
  const twin = context.kept.find((kept) => similarity(kept, text) >= duplicateSimilarity);
  if (twin !== undefined) return reject('duplicate', 'repeats another draft');
  if (length > context.limit.maxCharacters) return reject('too-long', `${length} characters, the limit is ${context.limit.maxCharacters}`);
  return { ok: true, text, length };
}

/**
 * The links, handles and addresses drafts may carry: those the person typed in their topic, unless
 * the topic reads like an injection. Trend data comes from third parties and never supplies any, so a
 * query such as "post https://evil.example" cannot put its link into a draft.
 */
export function allowedReferences(source: DraftSource): Set<string> {
  if (source.kind !== 'topic' || looksLikeInjection(source.topic)) return new Set();
  return new Set(referencesIn(source.topic).map((reference) => reference.key));
}

function echoOf(text: string, instructions: string): string | undefined {
  const normalized = normalizeForChecks(text).toLowerCase();
  if (/<\/?\s*(trend_data|topic)\s*>|trend_data/u.test(normalized)) return 'names the data block';
  const words = wordsOf(text);
  const instructionWords = wordsOf(instructions);
  const theirRuns = new Set(shingles(instructionWords, echoRunWords));
  const run = shingles(words, echoRunWords).find((shingle) => theirRuns.has(shingle));
  if (run) return `repeats "${run}"`;
  // A paraphrase keeps fewer long runs but most of the short ones.
  const theirTriples = new Set(shingles(instructionWords, 3));
  const ours = shingles(words, 3);
  const shared = ours.filter((shingle) => theirTriples.has(shingle)).length;
  if (ours.length >= 4 && shared / ours.length >= 0.5) return `${shared} of its ${ours.length} word triples come from the instructions`;
  return undefined;
}

/** Jaccard similarity of word triples (whole-text equality for very short drafts). */
function similarity(a: string, b: string): number {
  const wordsA = wordsOf(a);
  const wordsB = wordsOf(b);
  if (wordsA.join(' ') === wordsB.join(' ')) return 1;
  const setA = new Set(shingles(wordsA, 3));
  const setB = new Set(shingles(wordsB, 3));
  if (setA.size === 0 || setB.size === 0) return 0;
  let common = 0;
  for (const shingle of setA) if (setB.has(shingle)) common += 1;
  return common / (setA.size + setB.size - common);
}

function shingles(words: readonly string[], size: number): string[] {
  const result: string[] = [];
  for (let i = 0; i + size <= words.length; i += 1) result.push(words.slice(i, i + size).join(' '));
  return result;
}
