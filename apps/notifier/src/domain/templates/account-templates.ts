import { safeLink } from './escape.js';
import { links } from './links.js';
import { defineTemplate } from './template.js';

const formatExpiry = (iso: string) => new Date(iso).toUTCString();

export const welcomeTemplate = defineTemplate({
  name: 'welcome',
  eventType: 'users.user.registered',
  recipientFrom: 'event',
  optOut: null,
  content: (_data, { productName, publicBaseUrl }) => ({
    subject: `Welcome to ${productName}`,
    preview: 'Your account is ready: start your first trend search.',
    paragraphs: [
      `Welcome to ${productName}! Your account is ready.`,
      'Search Google Trends for the topics you care about, let us write post drafts from what is rising, and publish them on schedule to your channels.',
    ],
    action: { label: 'Start your first search', url: links.newSearch(publicBaseUrl) },
    footer: { kind: 'account', preferencesUrl: links.notificationSettings(publicBaseUrl) },
  }),
});

export const verifyEmailTemplate = defineTemplate({
  name: 'verify-email',
  eventType: 'users.email_verification.requested',
  recipientFrom: 'event',
  optOut: null,
  content: (data, { productName }) => ({
    subject: `Confirm your email address for ${productName}`,
    preview: 'One click to confirm your email address.',
    paragraphs: [`Please confirm that ${data.email} is your email address.`],
    action: { label: 'Confirm email address', url: safeLink(data.verifyUrl) },
    afterword: [
      `This link works until ${formatExpiry(data.expiresAt)}.`,
      `If you did not create a ${productName} account, ignore this email.`,
    ],
    footer: { kind: 'security' },
  }),
});

export const passwordResetTemplate = defineTemplate({
  name: 'password-reset',
  eventType: 'users.password_reset.requested',
  recipientFrom: 'event',
  optOut: null,
  content: (data, { productName }) => ({
    subject: `Reset your ${productName} password`,
    preview: 'Someone asked to reset your password.',
    paragraphs: [`Someone asked to reset the password of the ${productName} account for ${data.email}.`],
    action: { label: 'Choose a new password', url: safeLink(data.resetUrl) },
    afterword: [
      `This link works until ${formatExpiry(data.expiresAt)} and only once.`,
      'If you did not ask for this, ignore this email: your password stays as it is.',
    ],
    footer: { kind: 'security' },
  }),
});

export const passwordChangedTemplate = defineTemplate({
  name: 'password-changed',
  eventType: 'users.password.changed',
  recipientFrom: 'event',
  optOut: null,
  content: (data, { productName, publicBaseUrl }) => ({
    subject: `Your ${productName} password was changed`,
    preview: 'Your password was just changed.',
    paragraphs: [`The password of your ${productName} account was changed on ${formatExpiry(data.changedAt)}.`],
    action: { label: 'This was not me: reset my password', url: links.forgotPassword(publicBaseUrl) },
    afterword: ['If you made this change, there is nothing more to do.'],
    footer: { kind: 'security' },
  }),
});
