export { FakeMastodon, startFakeMastodon, type FakeMastodonOptions, type ReceivedRequest } from './mastodon/fake-mastodon.js';
export type { FakeMastodonFault, FaultTarget } from './mastodon/faults.js';
export type { FakeAccount, FakeApplication, FakeStatus } from './mastodon/entities.js';
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
