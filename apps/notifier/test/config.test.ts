import { ConfigError } from '@trendcast/service-kit';
import { describe, expect, it } from 'vitest';
import { loadNotifierConfig } from '../src/config.js';
import { parseMailFrom } from '../src/domain/addresses.js';
import { parseSmtpUrl, redactSmtpUrl } from '../src/integrations/smtp/smtp-url.js';

describe('notifier configuration', () => {
  it('when the environment is empty in development, then mail goes to the local mail catcher on port 3005', () => {
    const config = loadNotifierConfig({});

    expect(config.SMTP_URL).toBe('smtp://127.0.0.1:1025');
    expect(config.PORT).toBe(3005);
    expect(config.EVENT_CONSUMER_NAME).toBe('notifier');
    expect(config.BULLMQ_PREFIX).toBe('bull');
  });

  it('when SMTP_URL is missing in production, then loading fails naming it', () => {
    expect(() => loadNotifierConfig({ NODE_ENV: 'production' })).toThrow(ConfigError);
    expect(() => loadNotifierConfig({ NODE_ENV: 'production' })).toThrow(/SMTP_URL: is required/);
  });

  it('when SMTP_URL or MAIL_FROM are malformed, then loading fails naming each', () => {
    let error: unknown;
    try {
      loadNotifierConfig({ SMTP_URL: 'http://mail.example.com', MAIL_FROM: 'not an address' });
    } catch (caught) {
      error = caught;
    }

    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems.map((problem) => problem.variable).sort()).toEqual(['MAIL_FROM', 'SMTP_URL']);
  });
});

describe('SMTP_URL', () => {
  it('when it carries TLS, auth and pool options, then nodemailer gets them', () => {
    const options = parseSmtpUrl('smtps://mailer%40example.com:p%40ss%3Aword@smtp.example.com:465?pool=true&maxConnections=3&tls.rejectUnauthorized=false');

    expect(options).toMatchObject({
      host: 'smtp.example.com',
      port: 465,
      secure: true,
      auth: { user: 'mailer@example.com', pass: 'p@ss:word' },
      pool: true,
      maxConnections: 3,
      tls: { rejectUnauthorized: false },
    });
  });

  it('when it is plain smtp without options, then it uses one connection per mail and bounded timeouts', () => {
    expect(parseSmtpUrl('smtp://127.0.0.1:1025')).toEqual({
      host: '127.0.0.1',
      port: 1025,
      secure: false,
      pool: false,
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 30_000,
    });
  });

  it('when it has an unknown option, then it is refused rather than ignored', () => {
    expect(() => parseSmtpUrl('smtp://h:25?poool=true')).toThrow(/poool/);
  });

  it('when it is logged, then the password is hidden', () => {
    expect(redactSmtpUrl('smtps://user:secret@smtp.example.com:465')).toBe('smtps://user:***@smtp.example.com:465');
  });
});

describe('MAIL_FROM', () => {
  it('when it has a name, then both are kept; a bare address works too', () => {
    expect(parseMailFrom('Trendcast <no-reply@example.com>')).toEqual({ name: 'Trendcast', address: 'no-reply@example.com' });
    expect(parseMailFrom('"Trendcast News" <news@example.com>')).toEqual({ name: 'Trendcast News', address: 'news@example.com' });
    expect(parseMailFrom('no-reply@example.com')).toEqual({ name: '', address: 'no-reply@example.com' });
  });
});
