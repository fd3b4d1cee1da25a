export { envelopeSchema, type RawEnvelope } from './envelope.js';
export { defineEvent, type EventContract } from './define-event.js';
export {
  eventContracts,
  retiredContracts,
  eventTypes,
  isEventType,
  contractFor,
  type EventContracts,
  type EventType,
  type EventData,
} from './registry.js';
export { exchangeFor, producerOf, routingKeyFor } from './routing.js';
export {
  createEvent,
  causedBy,
  parseEvent,
  decodeEvent,
  encodeEvent,
  EventParseError,
  type DomainEvent,
  type AnyDomainEvent,
  type EventOrigin,
} from './event.js';
export {
  notificationPreferencesSchema,
  defaultNotificationPreferences,
  generateRequestSchema,
  type NotificationPreferences,
  type NotificationKind,
  type GenerateRequest,
} from './contracts/shared.js';
export { trendSummarySchema, type TrendSummary } from './contracts/trends.js';
export { sentimentSchema } from './contracts/thinker.js';
