import { domainErrorFactory } from '@trendcast/service-kit';

const messages = {
  NOT_ADMIN: 'The operators’ console is for administrators only',
  UNKNOWN_QUEUE: 'No such parked-message queue',
  UNKNOWN_SERVICE: 'No such service among those whose parked outbox rows are shown',
  BROKER_UNAVAILABLE: 'RabbitMQ cannot be reached right now; try again shortly',
  SESSIONS_UNAVAILABLE: 'The console cannot keep sign-ins right now (Redis is unreachable); try again shortly',
} as const satisfies Record<string, string>;

export type MonitorErrorCode = keyof typeof messages;
export const monitorError = domainErrorFactory(messages);
