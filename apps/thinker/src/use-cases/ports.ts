import type { ChatMessage } from '../domain/prompt.js';

/** Writes drafts with a language model. */
export interface DraftWriter {
  /** The model's name, as the drafts record it. */
  readonly model: string;
  /**
   * Exactly `count` draft texts for the conversation, as the model wrote them (reasoning removed).
   * Fails with a ModelFailure. `variation` differs on every call, so a seeded model does not repeat
   * the answer that was just refused.
   */
  writeDrafts(request: { messages: readonly ChatMessage[]; count: number; variation: number }, signal?: AbortSignal): Promise<string[]>;
}
