import type { z } from 'zod';
import type { EventContract } from './define-event.js';
import * as thinker from './contracts/thinker.js';
import * as trends from './contracts/trends.js';
import * as tweeter from './contracts/tweeter.js';
import * as users from './contracts/users.js';

/**
 * The current version of every event. A breaking change adds a new contract here and moves
 * the old one to `retiredContracts`, so consumers can still read it until producers move on.
 */
export const eventContracts = {
  [users.userRegistered.type]: users.userRegistered,
  [users.emailVerificationRequested.type]: users.emailVerificationRequested,
  [users.userUpdated.type]: users.userUpdated,
  [users.passwordResetRequested.type]: users.passwordResetRequested,
  [users.passwordChanged.type]: users.passwordChanged,
  [users.userDeleted.type]: users.userDeleted,
  [trends.searchCompleted.type]: trends.searchCompleted,
  [trends.searchFailed.type]: trends.searchFailed,
  [thinker.draftsGenerated.type]: thinker.draftsGenerated,
  [thinker.generationFailed.type]: thinker.generationFailed,
  [thinker.draftApproved.type]: thinker.draftApproved,
  [tweeter.postPublished.type]: tweeter.postPublished,
  [tweeter.postFailed.type]: tweeter.postFailed,
  [tweeter.channelReconnectionNeeded.type]: tweeter.channelReconnectionNeeded,
} as const;

/** Older versions still accepted from the wire. Empty until a contract makes a breaking change. */
export const retiredContracts: readonly EventContract[] = [];

export type EventContracts = typeof eventContracts;
export type EventType = keyof EventContracts;
export type EventData<T extends EventType> = z.infer<EventContracts[T]['schema']>;

export const eventTypes = Object.keys(eventContracts) as EventType[];

export function isEventType(type: string): type is EventType {
  return Object.hasOwn(eventContracts, type);
}

export function contractFor(type: string, version: number): EventContract | undefined {
  if (isEventType(type) && eventContracts[type].version === version) return eventContracts[type];
  return retiredContracts.find((contract) => contract.type === type && contract.version === version);
}
