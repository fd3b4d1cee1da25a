/** When a reply starts and how fast it streams. */
export interface ReplyTiming {
  /** Wait before answering at all (before the status line), as a model loading or a busy queue. */
  delayMs?: number;
  /** Wait between streamed chunks. */
  chunkDelayMs?: number;
}

/**
 * A model's answer. Without `content`, the fake writes one that conforms to the request's `format`
 * (a JSON Schema, "json", or plain text when there is none).
 */
export interface AnswerReply extends ReplyTiming {
  kind: 'answer';
  /** `message.content` (chat) or `response` (generate), exactly as given. */
  content?: string;
  /**
   * Reasoning sent apart in `message.thinking`, used only when the request lets a thinking model
   * think (as the server does, it is dropped otherwise).
   */
  thinking?: string;
  /** `length` says the answer was cut at `num_predict`. */
  doneReason?: 'stop' | 'length';
}

/** An HTTP error answer `{"error": message}`, as the server sends before any output. */
export interface ErrorReply extends ReplyTiming {
  kind: 'error';
  status: number;
  message: string;
}

/**
 * A failure after output began: streamed, the content goes out in chunks and then one NDJSON line
 * `{"error": message}` on the same 200 response; not streamed, a 500 with the error, as the server
 * answers when the runner fails.
 */
export interface StreamErrorReply extends ReplyTiming {
  kind: 'stream-error';
  content: string;
  message: string;
}

/**
 * A reply that never ends. Streamed with `content`, those chunks go out first and then nothing;
 * otherwise not even the status line is sent. It lasts until the client gives up (or the fake closes).
 */
export interface HangReply {
  kind: 'hang';
  content?: string;
}

/** The connection is dropped without an answer. */
export interface ResetReply {
  kind: 'reset';
}

export type FakeReply = AnswerReply | ErrorReply | StreamErrorReply | HangReply | ResetReply;

/** Builders for scripted replies: `fake.enqueue(reply.json({ drafts: [...] }), reply.hang())`. */
export const reply = {
  /** An answer conforming to the request's format (what the fake answers when nothing is scripted). */
  conforming: (timing: ReplyTiming = {}): AnswerReply => ({ kind: 'answer', ...timing }),
  text: (content: string, timing: ReplyTiming = {}): AnswerReply => ({ kind: 'answer', content, ...timing }),
  json: (value: unknown, timing: ReplyTiming = {}): AnswerReply => ({ kind: 'answer', content: JSON.stringify(value), ...timing }),
  /** JSON cut off mid-string, as a model stopped early or ignoring the format writes it. */
  malformedJson: (timing: ReplyTiming = {}): AnswerReply => ({
    kind: 'answer',
    content: '{"drafts": [{"text": "Searches for pizza are climbing fast',
    ...timing,
  }),
  /** Reasoning returned apart from the answer (`message.thinking`), as a thinking model answers when allowed to think. */
  withThinking: (thinking: string, content: string, timing: ReplyTiming = {}): AnswerReply => ({
    kind: 'answer',
    content,
    thinking,
    ...timing,
  }),
  /** Reasoning inline at the start of the content, as older reasoning models write it. */
  inlineThink: (thinking: string, content: string, timing: ReplyTiming = {}): AnswerReply => ({
    kind: 'answer',
    content: `<think>\n${thinking}\n</think>\n\n${content}`,
    ...timing,
  }),
  error: (status: number, message: string, timing: ReplyTiming = {}): ErrorReply => ({ kind: 'error', status, message, ...timing }),
  streamError: (
    content: string,
    message = 'an error was encountered while running the model',
    timing: ReplyTiming = {},
  ): StreamErrorReply => ({ kind: 'stream-error', content, message, ...timing }),
  hang: (content?: string): HangReply => (content === undefined ? { kind: 'hang' } : { kind: 'hang', content }),
  reset: (): ResetReply => ({ kind: 'reset' }),
};
