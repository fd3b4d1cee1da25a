import { sampleEventData } from '@trendcast/events/samples';
import { describe, expect, it } from 'vitest';
import { emailTemplates, headerSafe, renderTemplate, safeLink, templateNamed } from '../src/domain/templates/index.js';

const context = { productName: 'Trendcast', publicBaseUrl: 'https://trendcast.test/app' };

describe('email templates', () => {
  it.each(emailTemplates.map((template) => [template.name, template] as const))(
    'when %s is rendered, then both parts carry the action link and the product name',
    (_name, template) => {
      const data = sampleEventData[template.eventType];

      const mail = renderTemplate(templateNamed(template.name)!, data, context, 'Ada');

      expect(mail.subject.length).toBeGreaterThan(5);
      expect(mail.text).toContain('Hi Ada,');
      expect(mail.text).toContain('Trendcast');
      expect(mail.html).toContain('Trendcast');
      const action = template.content(data as never, context).action!;
      expect(mail.text).toContain(action.url);
      expect(mail.html).toContain(`href="${action.url.replaceAll('&', '&amp;')}"`);
    },
  );

  it('when a mail can be turned off, then it says how and carries an unsubscribe link; security mail does not', () => {
    const draftsReady = renderTemplate(templateNamed('drafts-ready')!, sampleEventData['thinker.drafts.generated'], context, 'Ada');
    const reset = renderTemplate(templateNamed('password-reset')!, sampleEventData['users.password_reset.requested'], context, 'Ada');

    expect(draftsReady.unsubscribeUrl).toBe('https://trendcast.test/app/settings/notifications');
    expect(draftsReady.text).toContain('To stop them, change your notification settings: https://trendcast.test/app/settings/notifications');
    expect(reset.unsubscribeUrl).toBeUndefined();
    expect(reset.text).toContain('security notice');
    expect(reset.text).not.toContain('settings/notifications');
  });

  it('when user content holds markup, then the HTML part shows it as text', () => {
    const data = { ...sampleEventData['thinker.drafts.generated'] };
    data.drafts = [{ ...data.drafts[0]!, text: '<script>alert("x")</script> & <b>bold</b>' }];

    const mail = renderTemplate(templateNamed('drafts-ready')!, data, context, '<img src=x onerror=alert(1)>');

    expect(mail.html).not.toContain('<script>');
    expect(mail.html).not.toContain('<img');
    expect(mail.html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;');
    expect(mail.text).toContain('<script>alert("x")</script>');
  });

  it('when a name or keyword carries CR/LF, then the subject stays one line', () => {
    const data = { ...sampleEventData['trends.search.failed'], keywords: ['pizza\r\nBcc: evil@x'] };

    const mail = renderTemplate(templateNamed('search-failed')!, data, context, 'Ada\r\nBcc: evil@x');

    expect(mail.subject).not.toMatch(/[\r\n]/);
    expect(mail.subject).toContain('pizza Bcc: evil@x');
    expect(mail.text).toContain('Hi Ada Bcc: evil@x,');
  });

  it('when a link is not http(s), then rendering refuses it', () => {
    const data = { ...sampleEventData['users.email_verification.requested'], verifyUrl: 'javascript:alert(1)' };

    expect(() => renderTemplate(templateNamed('verify-email')!, data, context, 'Ada')).toThrow(/http\(s\)/);
    expect(() => safeLink('data:text/html,hi')).toThrow();
    expect(safeLink('https://x.test/a?b=1')).toBe('https://x.test/a?b=1');
  });

  it('when a header value has control characters, then headerSafe flattens and bounds it', () => {
    expect(headerSafe('a\r\nb\tc\u0000d\u2028e')).toBe('a b c d e');
    expect(headerSafe('x'.repeat(300), 10)).toHaveLength(10);
  });
});
