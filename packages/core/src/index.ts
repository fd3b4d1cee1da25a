export { backoffDelay, type BackoffOptions } from './backoff.js';
export { withDeadline, sleep, DeadlineExceededError } from './deadline.js';
export { silentLogger, describeError, type Logger, type LogFn } from './logger.js';
export { assertDependencyPatched, patchMarker, UnpatchedDependencyError, type DependencyPatch } from './dependency-patch.js';
export { RepeatingRound, type RepeatingRoundOptions } from './repeating-round.js';
