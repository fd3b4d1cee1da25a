export { createNotifierService, type NotifierService, type NotifierServiceOverrides } from './service.js';
export { loadNotifierConfig, notifierConfigSchema, developmentSmtpUrl, type NotifierConfig } from './config.js';
export { emailQueueName, emailJobId } from './workers/email-job.js';
export { emailTemplates, type TemplateName } from './domain/templates/index.js';
