import { escapeHtml, headerSafe } from './escape.js';

/** What every template produces: one structure, rendered to both the text and the HTML part. */
export interface EmailContent {
  subject: string;
  /** Short line mail clients show beside the subject. */
  preview: string;
  paragraphs: string[];
  action?: { label: string; url: string };
  /** Quoted user content, e.g. drafts, shown as a list. */
  quotes?: string[];
  /** Paragraphs after the action, e.g. "if this wasn't you". */
  afterword?: string[];
  /**
   * `security`: always sent, says why it cannot be turned off.
   * `account`: sent once to every new account, points at the notification settings.
   * `preferences`: says how to stop this kind of mail (the unsubscribe note).
   */
  footer: { kind: 'security' } | { kind: 'account' | 'preferences'; preferencesUrl: string };
}

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
  /** Set for mails a person can opt out of; becomes the List-Unsubscribe header. */
  unsubscribeUrl?: string;
}

export interface LayoutContext {
  productName: string;
  recipientName: string;
}

function footerText(content: EmailContent, productName: string): string {
  if (content.footer.kind === 'security') {
    return `This is a security notice about your ${productName} account, so it is always sent.`;
  }
  if (content.footer.kind === 'account') {
    return `You get this email because you created a ${productName} account. Choose which emails you get in your notification settings: ${content.footer.preferencesUrl}`;
  }
  return `You get this email because these notifications are on. To stop them, change your notification settings: ${content.footer.preferencesUrl}`;
}

function renderText(content: EmailContent, context: LayoutContext): string {
  const lines: string[] = [`Hi ${context.recipientName},`, ''];
  for (const paragraph of content.paragraphs) lines.push(paragraph, '');
  for (const quote of content.quotes ?? []) lines.push(`  > ${quote.replace(/\r?\n/g, '\n  > ')}`, '');
  if (content.action) lines.push(`${content.action.label}: ${content.action.url}`, '');
  for (const paragraph of content.afterword ?? []) lines.push(paragraph, '');
  lines.push(`— ${context.productName}`, '', '--', footerText(content, context.productName), '');
  return lines.join('\n');
}

const styles = {
  body: 'margin:0;padding:24px;background:#f4f5f7;font-family:Helvetica,Arial,sans-serif;color:#1f2933;',
  card: 'max-width:560px;margin:0 auto;background:#ffffff;border-radius:8px;padding:32px;',
  brand: 'font-size:14px;font-weight:bold;letter-spacing:.04em;color:#5b21b6;margin:0 0 24px;',
  p: 'font-size:16px;line-height:1.5;margin:0 0 16px;',
  quote: 'font-size:15px;line-height:1.5;margin:0 0 12px;padding:8px 12px;border-left:3px solid #c4b5fd;background:#f5f3ff;white-space:pre-wrap;',
  button: 'display:inline-block;padding:12px 20px;background:#5b21b6;color:#ffffff;text-decoration:none;border-radius:6px;font-weight:bold;',
  fallback: 'font-size:13px;line-height:1.5;color:#52606d;margin:16px 0;word-break:break-all;',
  footer: 'font-size:12px;line-height:1.5;color:#7b8794;margin:24px auto 0;max-width:560px;',
};

function renderHtmlFooter(content: EmailContent, productName: string): string {
  const { footer } = content;
  if (footer.kind === 'security') return escapeHtml(footerText(content, productName));
  const settings = `<a href="${escapeHtml(footer.preferencesUrl)}">notification settings</a>`;
  if (footer.kind === 'account') {
    return `You get this email because you created a ${escapeHtml(productName)} account. Choose which emails you get in your ${settings}.`;
  }
  return `You get this email because these notifications are on. To stop them, change your ${settings}.`;
}

function renderHtml(content: EmailContent, context: LayoutContext): string {
  const p = (text: string) => `<p style="${styles.p}">${escapeHtml(text)}</p>`;
  const parts: string[] = [
    `<p style="${styles.brand}">${escapeHtml(context.productName)}</p>`,
    p(`Hi ${context.recipientName},`),
    ...content.paragraphs.map(p),
    ...(content.quotes ?? []).map((quote) => `<blockquote style="${styles.quote}">${escapeHtml(quote)}</blockquote>`),
  ];
  if (content.action) {
    const href = escapeHtml(content.action.url);
    parts.push(
      `<p style="margin:24px 0;"><a href="${href}" style="${styles.button}">${escapeHtml(content.action.label)}</a></p>`,
      `<p style="${styles.fallback}">If the button does not work, copy this link into your browser:<br><a href="${href}">${href}</a></p>`,
    );
  }
  parts.push(...(content.afterword ?? []).map(p));
  const footer = renderHtmlFooter(content, context.productName);
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">',
    `<title>${escapeHtml(content.subject)}</title></head>`,
    `<body style="${styles.body}">`,
    `<span style="display:none;max-height:0;overflow:hidden;">${escapeHtml(content.preview)}</span>`,
    `<div style="${styles.card}">${parts.join('\n')}</div>`,
    `<p style="${styles.footer}">${footer}</p>`,
    '</body></html>',
    '',
  ].join('\n');
}

/** Renders a template's content into the subject and both parts of one mail. */
export function renderEmail(content: EmailContent, context: LayoutContext): RenderedEmail {
  const safeContext = { ...context, recipientName: headerSafe(context.recipientName, 100) };
  const rendered: RenderedEmail = {
    subject: headerSafe(content.subject),
    text: renderText(content, safeContext),
    html: renderHtml(content, safeContext),
  };
  if (content.footer.kind === 'preferences') rendered.unsubscribeUrl = content.footer.preferencesUrl;
  return rendered;
}
