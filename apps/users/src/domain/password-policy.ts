/** NIST SP 800-63B style: long enough, not trivially guessable; no composition rules. */
export const passwordPolicy = { minLength: 12, maxLength: 128, minDistinctCharacters: 5 } as const;

/** A few of the most common passwords that pass the length rule (from public breach lists). */
const commonPasswords = new Set([
  '123456789012',
  '1234567890123',
  '12345678901234',
  '123456789123',
  'password1234',
  'password12345',
  'password123456',
  'passwordpassword',
  'qwertyuiop123',
  'qwertyuiopasdf',
  'qwerty123456',
  '1q2w3e4r5t6y',
  '1qaz2wsx3edc',
  'iloveyou1234',
  'administrator',
  'letmein12345',
  'welcome12345',
  'changeme1234',
  'trustno1trustno1',
  'abcdefghijkl',
  'abc123abc123',
]);

export type PasswordProblem =
  | 'too_short'
  | 'too_long'
  | 'too_few_distinct_characters'
  | 'too_common'
  | 'contains_email'
  | 'same_as_current';

/** Every rule the password breaks; empty when it is acceptable. Length counts characters, not bytes. */
export function checkPasswordPolicy(
  password: string,
  context: { email?: string; currentPassword?: string } = {},
): PasswordProblem[] {
  const problems: PasswordProblem[] = [];
  const characters = [...password];
  if (characters.length < passwordPolicy.minLength) problems.push('too_short');
  if (characters.length > passwordPolicy.maxLength) problems.push('too_long');
  if (new Set(characters).size < passwordPolicy.minDistinctCharacters) problems.push('too_few_distinct_characters');
  const lowered = password.toLowerCase();
  if (commonPasswords.has(lowered)) problems.push('too_common');
  const localPart = context.email?.split('@', 1)[0]?.toLowerCase();
  if (localPart && localPart.length >= 4 && lowered.includes(localPart)) problems.push('contains_email');
  if (context.currentPassword !== undefined && password === context.currentPassword) problems.push('same_as_current');
  return problems;
}
