export { createNotifier, type Notifier } from './notifier.js';
export { loadNotifierConfig, notifierConfigSchema, developmentSmtpUrl, type NotifierConfig } from './config.js';
export { emailQueueName, emailJobId } from './email/email-job.js';
export { emailTemplates, type TemplateName } from './templates/index.js';
