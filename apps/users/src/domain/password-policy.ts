import { containsAnyWord, emailWords, isCommonPassword, nameWords, productWords } from './guessable-password.js';

/** NIST SP 800-63B style: long enough, not trivially guessable; no composition rules. */
export const passwordPolicy = { minLength: 12, maxLength: 128, minDistinctCharacters: 5 } as const;

export type PasswordProblem =
  | 'too_short'
  | 'too_long'
  | 'too_few_distinct_characters'
  | 'too_common'
  | 'contains_email'
  | 'contains_name'
  | 'contains_product_name'
  | 'same_as_current';

/** Every rule the password breaks; empty when it is acceptable. Length counts characters, not bytes. */
export function checkPasswordPolicy(
  password: string,
  context: { email?: string; displayName?: string; currentPassword?: string } = {},
): PasswordProblem[] {
  const problems: PasswordProblem[] = [];
  const characters = [...password];
  if (characters.length < passwordPolicy.minLength) problems.push('too_short');
  if (characters.length > passwordPolicy.maxLength) problems.push('too_long');
  if (new Set(characters).size < passwordPolicy.minDistinctCharacters) problems.push('too_few_distinct_characters');
  // Common passwords, however dressed up (case, leetspeak, digits and symbols around them).
  if (isCommonPassword(password)) problems.push('too_common');
  if (containsAnyWord(password, productWords)) problems.push('contains_product_name');
  if (context.email && containsAnyWord(password, emailWords(context.email))) problems.push('contains_email');
  if (context.displayName && containsAnyWord(password, nameWords(context.displayName))) problems.push('contains_name');
  if (context.currentPassword !== undefined && password === context.currentPassword) problems.push('same_as_current');
  return problems;
}
