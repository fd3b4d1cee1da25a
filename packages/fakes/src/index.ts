export {};
export { FakeMastodon, startFakeMastodon, type FakeMastodonOptions, type ReceivedRequest } from './mastodon/fake-mastodon.js';
export type { FakeMastodonFault, FaultTarget } from './mastodon/faults.js';
export type { FakeAccount, FakeApplication, FakeStatus } from './mastodon/entities.js';
