import { draftReplySchema } from '../../domain/draft-reply.js';
import type { ChatMessage } from '../../domain/prompt.js';
import type { DraftWriter } from '../../use-cases/ports.js';
import type { StructuredChat } from './structured-chat.js';

/** Drafts from an Ollama model, as structured output (`{"drafts": [{"text"}]}` with exactly `count` items). */
export class OllamaDraftWriter implements DraftWriter {
  constructor(private readonly chat: StructuredChat) {}

  get model(): string {
    return this.chat.model;
  }

  async writeDrafts(request: { messages: readonly ChatMessage[]; count: number; variation: number }, signal?: AbortSignal): Promise<string[]> {
    const answer = await this.chat.ask(
      { what: 'writing drafts', messages: request.messages, schema: draftReplySchema(request.count), variation: request.variation },
      signal,
    );
    return answer.value.drafts.map((draft) => draft.text);
  }
}
