import type { EventType } from '@trendcast/events';
import {
  passwordChangedTemplate,
  passwordResetTemplate,
  verifyEmailTemplate,
  welcomeTemplate,
} from './account-templates.js';
import {
  channelReconnectionTemplate,
  draftsReadyTemplate,
  generationFailedTemplate,
  postFailedTemplate,
  postPublishedTemplate,
  searchFailedTemplate,
} from './activity-templates.js';
import { renderEmail, type RenderedEmail } from './layout.js';
import type { EmailTemplate, TemplateContext } from './template.js';

/** Every mail the notifier sends, one per event that concerns a person. */
export const emailTemplates = [
  welcomeTemplate,
  verifyEmailTemplate,
  passwordResetTemplate,
  passwordChangedTemplate,
  searchFailedTemplate,
  draftsReadyTemplate,
  generationFailedTemplate,
  postPublishedTemplate,
  postFailedTemplate,
  channelReconnectionTemplate,
] as const;

export type MailEventType = (typeof emailTemplates)[number]['eventType'];
export type TemplateName = (typeof emailTemplates)[number]['name'];

const byName = new Map<string, EmailTemplate>(emailTemplates.map((template) => [template.name, template as unknown as EmailTemplate]));

export function templateNamed(name: string): EmailTemplate | undefined {
  return byName.get(name);
}

export function templatesFor(type: EventType): EmailTemplate[] {
  return [...byName.values()].filter((template) => template.eventType === type);
}

export type { EmailContent, RenderedEmail } from './layout.js';
export type { EmailTemplate, TemplateContext } from './template.js';
export { headerSafe, escapeHtml, safeLink, UnsafeLinkError } from './escape.js';

/** Renders one template for one recipient: the subject and both parts of the mail. */
export function renderTemplate(template: EmailTemplate, data: unknown, context: TemplateContext, recipientName: string): RenderedEmail {
  // The caller has parsed `data` with the contract of `template.eventType`.
  const content = template.content(data as never, context);
  return renderEmail(content, { productName: context.productName, recipientName });
}
