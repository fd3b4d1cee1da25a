export { backoffDelay, type BackoffOptions } from './backoff.js';
export { withDeadline, sleep, DeadlineExceededError } from './deadline.js';
export { silentLogger, describeError, type Logger, type LogFn } from './logger.js';
