import { describe, expect, it } from 'vitest';
import commonPasswordList from '../src/domain/data/common-passwords.json' with { type: 'json' };
import { checkPasswordPolicy } from '../src/domain/password-policy.js';

const ann = { email: 'ann.smith+news@acmewidgets.org', displayName: 'Ann Zorbalina' };

describe('password policy: guessable passwords', () => {
  it('when the shipped list is loaded, then it holds at least the 10,000 most common passwords', () => {
    expect(commonPasswordList.length).toBeGreaterThanOrEqual(10_000);
    expect(new Set(commonPasswordList).size).toBe(commonPasswordList.length);
    expect(commonPasswordList.slice(0, 4)).toEqual(['123456', 'password', '12345678', 'qwerty']);
  });

  it.each([
    ['passw0rd1234', 'too_common'],
    ['qwerty1234567', 'too_common'],
    ['Welcome2024!', 'too_common'],
    ['P@55w0rd!2024', 'too_common'],
    ['!!Sunshine1987', 'too_common'],
    ['Dragon_2024!!', 'too_common'],
    ['1234567890123', 'too_common'],
    ['password1234', 'too_common'],
    ['trendcast123', 'contains_product_name'],
    ['Tr3ndC4st-2025!', 'contains_product_name'],
    ['my trend cast pass', 'contains_product_name'],
    ['annsmith-secret!', 'contains_email'],
    ['Smith.family.1999', 'contains_email'],
    ['AcmeWidgets#2025', 'contains_email'],
    ['zorbalina rules 42', 'contains_name'],
    ['Z0rb@lina-2025', 'contains_name'],
  ])('when the password is %s, then it is refused as %s', (password, problem) => {
    expect(checkPasswordPolicy(password, ann)).toContain(problem);
  });

  it.each([
    'correct horse battery staple',
    'x9#kLq2@Pz7!mW',
    'Mango tractor violin 88',
    'pelican-under-quiet-rain',
    'Zoë Ångström lives here',
  ])('when the password is %s, then no guessability rule refuses it', (password) => {
    expect(checkPasswordPolicy(password, ann)).toEqual([]);
  });
});
