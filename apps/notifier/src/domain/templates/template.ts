import type { EventData, EventType, NotificationKind } from '@trendcast/events';
import type { EmailContent } from './layout.js';

export interface TemplateContext {
  productName: string;
  /** Where people reach the product, e.g. https://trendcast.example. */
  publicBaseUrl: string;
}

/** One kind of mail: which event causes it, who receives it, whether it can be turned off, what it says. */
export interface EmailTemplate<T extends EventType = EventType, N extends string = string> {
  name: N;
  eventType: T;
  /**
   * `event`: the address travels in the event (account and security mail, sent even before the
   * recipient projection knows the person). `projection`: the event names only the user.
   */
  recipientFrom: 'event' | 'projection';
  /** The preference that turns this mail off; null when it is always sent. */
  optOut: NotificationKind | null;
  content(data: EventData<T>, context: TemplateContext): EmailContent;
}

export function defineTemplate<T extends EventType, N extends string>(template: EmailTemplate<T, N>): EmailTemplate<T, N> {
  return template;
}
