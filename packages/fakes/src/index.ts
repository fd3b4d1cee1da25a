export {
  startFakeOllama,
  type FakeOllama,
  type FakeOllamaOptions,
  type ReplyHandler,
  type RequestOutcome,
  type SeenOllamaRequest,
} from './ollama/fake-ollama.js';
export { reply, type FakeReply, type AnswerReply, type ErrorReply, type StreamErrorReply, type HangReply, type ResetReply, type ReplyTiming } from './ollama/replies.js';
export { defaultFakeModels, modelKey, type Capability, type FakeModel } from './ollama/models.js';
export { exampleFor, UnsupportedSchemaError } from './ollama/schema-example.js';
