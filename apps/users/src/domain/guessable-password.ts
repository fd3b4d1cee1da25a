import commonPasswordList from './data/common-passwords.json' with { type: 'json' };

/**
 * Passwords that attackers try first: the 30,000 most common ones from real breaches (see
 * data/README.md), a few long ones that list lacks, and this product's own name, which anyone
 * guessing a Trendcast password tries early (ASVS 6.2.4, 6.2.11).
 */
const commonPasswords = new Set<string>([
  ...commonPasswordList,
  '123456789012', '1234567890123', '12345678901234', '123456789123', 'passwordpassword',
  'qwertyuiopasdf', '1q2w3e4r5t6y', '1qaz2wsx3edc', 'trustno1trustno1', 'abcdefghijkl', 'abc123abc123',
]);

/** Compared without spaces, dots, dashes or underscores, after undoing leetspeak. */
export const productWords = ['trendcast', 'trendcaster', 'trendcasting', 'googletrends'] as const;

/** Digits and symbols people substitute for letters (p@ssw0rd); '1' is tried as both i and l. */
const leet: Record<string, string> = { '0': 'o', '3': 'e', '4': 'a', '5': 's', '7': 't', '8': 'b', '9': 'g', '@': 'a', '$': 's', '!': 'i', '+': 't', '|': 'l' };

function undoLeet(text: string): string[] {
  const base = [...text].map((character) => leet[character] ?? character).join('');
  return [base.replaceAll('1', 'i'), base.replaceAll('1', 'l')];
}

/** Trailing digits and symbols are the usual way to pass a rule with a weak word: Welcome2024!, qwerty1234567. */
const stripTrailing = (text: string) => text.replace(/[\d\W_]+$/u, '');
const stripLeading = (text: string) => text.replace(/^[\d\W_]+/u, '');
const squeeze = (text: string) => text.replace(/[\s._-]+/gu, '');

/**
 * The forms a guesser reaches from a common word: case, leetspeak, digits and symbols added at
 * either end, separators. A base shorter than 4 characters is not considered (everything ends in "a1!").
 */
export function guessableForms(password: string): Set<string> {
  const lowered = password.normalize('NFKC').toLowerCase();
  const forms = new Set<string>();
  for (const candidate of [lowered, squeeze(lowered)]) {
    const stripped = stripTrailing(candidate);
    for (const form of [candidate, stripped, stripLeading(stripped), stripLeading(candidate)]) {
      if (form.length < 4) continue;
      forms.add(form);
      for (const unleeted of undoLeet(form)) {
        forms.add(unleeted);
        const again = stripLeading(stripTrailing(unleeted));
        if (again.length >= 4) forms.add(again);
      }
    }
  }
  return forms;
}

export function isCommonPassword(password: string): boolean {
  for (const form of guessableForms(password)) if (commonPasswords.has(form)) return true;
  return false;
}

/** Whether any form of the password contains one of `words` (each at least 4 characters to count). */
export function containsAnyWord(password: string, words: Iterable<string>): boolean {
  const meaningful = [...words].map((word) => squeeze(word.normalize('NFKC').toLowerCase())).filter((word) => word.length >= 4);
  if (meaningful.length === 0) return false;
  const forms = [...guessableForms(password), squeeze(password.normalize('NFKC').toLowerCase())];
  return forms.some((form) => meaningful.some((word) => form.includes(word)));
}

/** Mail providers' names say nothing about the person. */
const mailProviders = new Set(['gmail', 'googlemail', 'yahoo', 'hotmail', 'outlook', 'live', 'icloud', 'proton', 'protonmail', 'mail', 'email', 'gmx', 'aol']);

/** The parts of an email address a person might build a password from: ann.smith+x@acme.org → annsmith, ann, smith, acme. */
export function emailWords(email: string): string[] {
  const [local = '', domain = ''] = email.toLowerCase().split('@');
  const mailbox = local.split('+')[0] ?? '';
  const organisation = domain.split('.').slice(0, -1).filter((label) => !mailProviders.has(label));
  return [mailbox, ...mailbox.split(/[._-]+/u), ...organisation];
}

/** Words of a display name: "Ann-Marie O'Brien" → ann, marie, o'brien, annmarieo'brien. */
export function nameWords(displayName: string): string[] {
  const words = displayName.toLowerCase().split(/[\s-]+/u).filter(Boolean);
  return [...words, words.join('')];
}
